using System.Globalization;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Cli.Retrieval;
using Disco.Index;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

public sealed class RetrieveCommandTests : IDisposable
{
    private static readonly string DiscoYaml = Path.Combine(AppContext.BaseDirectory, "Configs", "disco_topiocqa_mistral_llama.yaml");
    private readonly TempDirectory _dir = new();
    private readonly string _data;
    private readonly string _index;

    public RetrieveCommandTests()
    {
        _data = QuickstartSample.WriteTo(_dir.File("data"));
        _index = _dir.File("index");
        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade);
        IndexBuilder.FromCollection(Path.Combine(_data, "collection.tsv"), encoder, _index);
    }

    public void Dispose() => _dir.Dispose();

    internal static int Run(params string[] args) => CommandRunner.Run(RetrieveCommand.Create(), args);

    [Fact]
    public void WritesRunStatisticsLatenciesAndMetrics()
    {
        var output = _dir.File("out");
        Assert.Equal(0, Run("retrieve", "--index", _index, "--model", Fixtures.TinySplade, "--queries", Path.Combine(_data, "conversations.jsonl"),
            "--qrels", Path.Combine(_data, "qrels.trec"), "--out", output, "-m", "mrr_10", "-m", "recall_10", "--batch-size", "1"));
        var dir = Path.Combine(output, "conversations");
        var oracle = new SampleOracle(_data);
        oracle.AssertRunMatches(Path.Combine(dir, "run.trec"));
        var json = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(File.ReadAllText(Path.Combine(dir, "run.json")))!;
        Assert.Equal(oracle.Scores.Keys.Order(), json.Keys.Order());
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "stats", "q_stats.json")));
        Assert.Equal(oracle.QueryVectors.Values.Average(v => v.Count), stats.RootElement.GetProperty("L0_q").GetDouble(), 9);
        var latency = File.ReadAllLines(Path.Combine(dir, "latency.tsv"));
        Assert.Equal("qid\tencode_ms\tsearch_ms", latency[0]);
        Assert.Equal(oracle.QueryVectors.Keys.Order(), latency.Skip(1).Select(l => l.Split('\t')[0]).Order());
        Assert.All(latency.Skip(1), l => Assert.All(l.Split('\t').Skip(1), v => Assert.True(double.Parse(v, CultureInfo.InvariantCulture) >= 0)));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        Assert.Equal(oracle.MeanReciprocalRankAt10(), metrics.RootElement.GetProperty("all").GetProperty("mrr_10").GetDouble(), 9);
        Assert.Equal(oracle.RecallAt10(), metrics.RootElement.GetProperty("all").GetProperty("recall_10").GetDouble(), 9);
        Assert.True(File.Exists(Path.Combine(output, "disco-config.yaml")));
    }

    [Fact]
    public void DiscoHydraCommandRunsUnchanged()
    {
        // python -m splade.retrieve --config-name=disco_topiocqa_mistral_llama.yaml init_dict.model_type_or_dir_q=... config.pretrained_no_yamlconfig=true config.hf_training=false ...
        var output = _dir.File("hydra");
        Assert.Equal(0, Run("retrieve", $"--config-name={DiscoYaml}",
            $"init_dict.model_type_or_dir_q={Fixtures.TinySplade}",
            "config.pretrained_no_yamlconfig=true", "config.hf_training=false",
            $"config.index_dir={_index}", $"config.out_dir={output}",
            $"data.Q_COLLECTION_PATH=[{Path.Combine(_data, "conversations.jsonl")}]",
            $"data.EVAL_QREL_PATH=[{Path.Combine(_data, "qrels.trec")}]",
            "config.retrieval_name=[SAMPLE]"));
        new SampleOracle(_data).AssertRunMatches(Path.Combine(output, "SAMPLE", "run.trec"));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "SAMPLE", "metrics.json")));
        var all = metrics.RootElement.GetProperty("all");
        // DiSCo's eval_metric [[mrr_10, mrr_1000, recall]]: recall expands to trec_eval's cutoffs.
        Assert.True(all.TryGetProperty("mrr_10", out _));
        Assert.True(all.TryGetProperty("mrr_1000", out _));
        Assert.True(all.TryGetProperty("recall_1000", out _));
        Assert.Contains("model_type_or_dir_q", File.ReadAllText(Path.Combine(output, "hydra-config.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedQrelsCountIsAUsageError()
        => Assert.Equal(2, Run("retrieve", "--index", _index, "--model", Fixtures.TinySplade, "--queries", "a.tsv", "--queries", "b.tsv", "--qrels", "q.trec", "--out", _dir.File("x")));
}
