using System.Globalization;
using System.Text.Json;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Evaluation;

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

    public static void WriteRun(string directory, IReadOnlyList<RetrievedQuery> results, string tag = "disco")
    {
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(directory);
        var run = results.Select(r => new KeyValuePair<string, IReadOnlyList<ScoredDocument>>(r.Id, r.Hits)).ToList();
        RunWriter.WriteTrec(Path.Combine(directory, TrecRunFile), run, tag);
        RunWriter.WriteJson(Path.Combine(directory, JsonRunFile), run);
        var stats = Path.Combine(directory, "stats");
        Directory.CreateDirectory(stats);
        var l0 = results.Count == 0 ? 0 : results.Average(r => r.Vector.Count);
        AtomicFile.WriteAllText(Path.Combine(stats, "q_stats.json"), JsonSerializer.Serialize(new Dictionary<string, double> { ["L0_q"] = l0 }, Indented) + "\n");
        AtomicFile.WriteText(Path.Combine(directory, LatencyFile), w =>
        {
            w.Write("qid\tencode_ms\tsearch_ms\n");
            foreach (var r in results)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Id}\t{r.EncodeMilliseconds:F3}\t{r.SearchMilliseconds:F3}\n"));
        });
        AtomicFile.WriteAllText(Path.Combine(stats, "latency.json"), JsonSerializer.Serialize(LatencySummary(results), Indented) + "\n");
    }

    public static Dictionary<string, double> LatencySummary(IReadOnlyList<RetrievedQuery> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        static double Percentile(IEnumerable<double> values, double p)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
        return new Dictionary<string, double>
        {
            ["queries"] = results.Count,
            ["mean_encode_ms"] = results.Count == 0 ? 0 : results.Average(r => r.EncodeMilliseconds),
            ["mean_search_ms"] = results.Count == 0 ? 0 : results.Average(r => r.SearchMilliseconds),
            ["p50_search_ms"] = Percentile(results.Select(r => r.SearchMilliseconds), 0.5),
            ["p99_search_ms"] = Percentile(results.Select(r => r.SearchMilliseconds), 0.99),
        };
    }

    /// <summary>Evaluates the run as written (read back from run.trec, so the numbers are those any tool would get from the file) and writes metrics.json.</summary>
    public static EvaluationResult Evaluate(string directory, string qrelsPath, MeasureSet measures, EvaluationOptions options, string runName)
    {
        var result = Evaluator.Evaluate(QrelsFile.Read(qrelsPath), RunFile.Read(Path.Combine(directory, TrecRunFile)), measures, options);
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
