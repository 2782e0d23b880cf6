using System.Globalization;
using System.Text.Json;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Evaluation;
using Disco.Retrieval;

namespace Disco.Cli.Retrieval;

/// <summary>
/// Writes what <c>disco retrieve</c> produces for one query set into its folder: <c>run.trec</c>,
/// <c>run.json</c> (SPLADE's <c>{qid: {docid: score}}</c>), <c>stats/q_stats.json</c> (<c>L0_q</c>),
/// <c>latency.tsv</c> and <c>stats/latency.json</c>, and with qrels <c>metrics.json</c>
/// (docs/datasets.md, "retrieve outputs").
/// </summary>
public static class RetrievalOutput
{
    public const string TrecRunFile = "run.trec";
    public const string JsonRunFile = "run.json";
    public const string MetricsFile = "metrics.json";
    public const string LatencyFile = "latency.tsv";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the run, query statistics and latencies; returns the run for evaluation.</summary>
    public static Run WriteRun(string directory, BatchSearchResult result, string tag = Run.DefaultTag)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var run = result.ToRun();
        run.Write(Path.Combine(directory, TrecRunFile), RunFormat.Trec, tag);
        run.Write(Path.Combine(directory, JsonRunFile), RunFormat.Json);
        var stats = Path.Combine(directory, "stats");
        Directory.CreateDirectory(stats);
        AtomicFile.WriteAllText(Path.Combine(stats, "q_stats.json"), JsonSerializer.Serialize(new Dictionary<string, double> { ["L0_q"] = result.MeanQueryTerms }, Indented) + "\n");
        AtomicFile.WriteText(Path.Combine(directory, LatencyFile), w =>
        {
            w.Write("qid\tencode_ms\tsearch_ms\n");
            foreach (var r in result.Results)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.QueryId}\t{r.Latency?.EncodeMilliseconds:F3}\t{r.Latency?.SearchMilliseconds:F3}\n"));
        });
        if (result.Latencies is { } l)
        {
            var summary = new Dictionary<string, double>
            {
                ["queries"] = l.Queries,
                ["mean_encode_ms"] = l.MeanEncodeMilliseconds,
                ["mean_search_ms"] = l.MeanSearchMilliseconds,
                ["p50_search_ms"] = l.P50SearchMilliseconds,
                ["p99_search_ms"] = l.P99SearchMilliseconds,
            };
            AtomicFile.WriteAllText(Path.Combine(stats, "latency.json"), JsonSerializer.Serialize(summary, Indented) + "\n");
        }
        return run;
    }

    /// <summary>Evaluates the run in memory against the qrels file and writes metrics.json.</summary>
    public static EvaluationResult Evaluate(string directory, Run run, string qrelsPath, MeasureSet measures, EvaluationOptions options, string runName)
    {
        var result = Evaluator.Evaluate(Qrels.Read(qrelsPath), run, measures, options);
        AtomicFile.Write(Path.Combine(directory, MetricsFile), stream => EvaluationJson.Write(stream, runName, result, options, perQuery: true));
        return result;
    }

    /// <summary>One line per summary value: <c>name value</c>.</summary>
    public static string Summary(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Join("  ", result.ValueNames.Select((n, i) => result.IsCount[i]
            ? string.Create(CultureInfo.InvariantCulture, $"{n} {result.Summary[i]:F0}")
            : string.Create(CultureInfo.InvariantCulture, $"{n} {result.Summary[i]:F4}")));
    }
}
