using System.CommandLine;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>
/// `disco index`, `disco search` and `disco index stats` end to end on the golden fixture vectors:
/// the TREC and JSON runs must reproduce golden_rankings.jsonl.
/// </summary>
public sealed class IndexSearchCommandTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand();
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        return CliErrors.Run(root, args);
    }

    private static void WriteGoldenVectors(string source, string target)
    {
        var vocabulary = File.ReadAllLines(Path.Combine(Fixtures.TinySplade, "vocab.txt"));
        VectorFile.Write(target, File.ReadLines(source).Select(line =>
        {
            var root = JsonDocument.Parse(line).RootElement;
            var max = root.GetProperty("max");
            return new TermVector(
                root.GetProperty("id").GetString()!,
                [.. max.GetProperty("indices").EnumerateArray().Select(e => vocabulary[e.GetInt32()])],
                [.. max.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble())]);
        }));
    }

    [Theory]
    [InlineData("trec", "maxscore")]
    [InlineData("json", "taat")]
    [InlineData("trec", "daat")]
    public void Index_then_search_reproduces_the_golden_rankings(string format, string algorithm)
    {
        using var dir = new TempDirectory();
        WriteGoldenVectors(Fixtures.Golden("golden_documents.jsonl"), dir.File("docs.jsonl"));
        WriteGoldenVectors(Fixtures.Golden("golden_conversations.jsonl"), dir.File("queries.jsonl"));
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("index")));
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run"), "--k", "10", "--format", format, "--algorithm", algorithm, "--threads", "2"));
        AssertGoldenRankings(ReadRun(dir.File("run"), format));
    }

    [Fact]
    public void Reordered_pruned_index_with_approximate_search_reproduces_the_golden_rankings()
    {
        using var dir = new TempDirectory();
        WriteGoldenVectors(Fixtures.Golden("golden_documents.jsonl"), dir.File("docs.jsonl"));
        WriteGoldenVectors(Fixtures.Golden("golden_conversations.jsonl"), dir.File("queries.jsonl"));
        // Pruning at weight 0 removes nothing, so the rankings stay the golden ones; head lists of
        // 2000 hold every posting of this small collection, so a budget above its size is exact.
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("index"), "--reorder", "--ann", "--prune-min-weight", "0"));
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run"), "--k", "10", "--approximate", "--ann-budget", "100000", "--ann-terms", "1000"));
        AssertGoldenRankings(ReadRun(dir.File("run"), "trec"));
        // The section added afterwards to a plain index searches alike.
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("plain")));
        Assert.Equal(1, Run("search", "--index", dir.File("plain"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run2"), "--approximate"));
        Assert.Equal(0, Run("index", "ann", dir.File("plain")));
        Assert.Equal(0, Run("search", "--index", dir.File("plain"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run2"), "--k", "10", "--approximate", "--ann-budget", "100000", "--ann-terms", "1000"));
        AssertGoldenRankings(ReadRun(dir.File("run2"), "trec"));
        Assert.Equal(2, Run("search", "--index", dir.File("plain"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run3"), "--ann-budget", "10"));
    }

    [Fact]
    public void Block_max_exact_and_approximate_search_reproduce_the_golden_rankings()
    {
        using var dir = new TempDirectory();
        WriteGoldenVectors(Fixtures.Golden("golden_documents.jsonl"), dir.File("docs.jsonl"));
        WriteGoldenVectors(Fixtures.Golden("golden_conversations.jsonl"), dir.File("queries.jsonl"));
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("index"), "--reorder", "--block-max", "--block-max-bits", "2"));
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run"), "--k", "10", "--algorithm", "blockmax"));
        AssertGoldenRankings(ReadRun(dir.File("run"), "trec"));
        // Every block in the budget: exact.
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run2"), "--k", "10", "--approximate", "--ann-blocks", "1000000"));
        AssertGoldenRankings(ReadRun(dir.File("run2"), "trec"));
        // The section added afterwards to a plain index searches alike; block-max search needs it.
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("plain")));
        Assert.Equal(1, Run("search", "--index", dir.File("plain"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run3"), "--algorithm", "blockmax"));
        // Blocks of unrelated documents (the golden collection in input order): the default algorithm does not use the section, and the build says so.
        var (code, _, err) = CommandRunner.RunProcess("DISCO_TEST_UNUSED", "1", "index", "blockmax", dir.File("plain"), "--block-max-bits", "3");
        Assert.Equal(0, code);
        using (var plain = SparseIndex.Open(dir.File("plain")))
        {
            Assert.False(IndexSearcher.AutoUsesBlockMax(plain.Metadata.BlockMax!), $"clustering {plain.Metadata.BlockMax!.Clustering}");
            Assert.Equal(SearchAlgorithm.TermAtATime, new IndexSearcher(plain).Resolve(SearchAlgorithm.Auto, 10));
        }
        Assert.Contains("warning: " + dir.File("plain") + ": in input order, its blocks hold unrelated documents", err);
        Assert.Equal(0, Run("search", "--index", dir.File("plain"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run3"), "--k", "10", "--algorithm", "blockmax"));
        AssertGoldenRankings(ReadRun(dir.File("run3"), "trec"));
        Assert.Equal(2, Run("search", "--index", dir.File("plain"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run4"), "--approximate", "--ann-blocks", "4", "--ann-budget", "10"));
        Assert.Equal(2, Run("index", "blockmax", dir.File("plain"), "--block-max-bits", "9"));
        // A size limit under the postings alone (5 bytes each): refused with the size, the section kept.
        var (limited, _, refusal) = CommandRunner.RunProcess("DISCO_TEST_UNUSED", "1", "index", "blockmax", dir.File("plain"), "--block-max-limit", "1K");
        Assert.Equal(1, limited);
        Assert.Contains("the block-max section needs at least", refusal);
        Assert.Contains("over the limit of 1.00 KB", refusal);
        Assert.Equal(2, Run("index", "blockmax", dir.File("plain"), "--block-max-limit", "lots"));
        Assert.Equal(0, Run("index", "blockmax", dir.File("plain"), "--block-max-limit", "2G"));
        Assert.Equal(0, Run("search", "--index", dir.File("plain"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run5"), "--k", "10", "--algorithm", "blockmax"));
        AssertGoldenRankings(ReadRun(dir.File("run5"), "trec"));
    }

    [Fact]
    public void Encode_as_you_go_index_and_conversation_search_reproduce_the_golden_rankings()
    {
        using var dir = new TempDirectory();
        // The golden files are themselves a JSONL collection {id, text} and conversations JSONL {id, turns}.
        Assert.Equal(0, Run("index", "--model", Fixtures.TinySplade, "--collection", Fixtures.Golden("golden_documents.jsonl"), "--out", dir.File("index")));
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--model", Fixtures.TinySplade, "--queries", Fixtures.Golden("golden_conversations.jsonl"), "--out", dir.File("run.json"), "--k", "10"));
        AssertGoldenRankings(ReadRun(dir.File("run.json"), "json"));
    }

    private static void AssertGoldenRankings(Dictionary<string, List<(string Doc, double Score)>> run)
    {
        foreach (var line in File.ReadLines(Fixtures.Golden("golden_rankings.jsonl")))
        {
            var golden = JsonDocument.Parse(line).RootElement;
            var expected = golden.GetProperty("top10").EnumerateArray().Select(e => (Doc: e.GetProperty("doc").GetString()!, Score: e.GetProperty("score").GetDouble())).ToList();
            var actual = run[golden.GetProperty("query").GetString()!];
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.True(Math.Abs(expected[i].Score - actual[i].Score) < 1e-3 * Math.Max(1, Math.Abs(expected[i].Score)), $"rank {i + 1}: {actual[i]} vs {expected[i]}");
                Assert.True(actual[i].Doc == expected[i].Doc || Math.Abs(expected.Single(e => e.Doc == actual[i].Doc).Score - expected[i].Score) < 1e-4);
            }
        }
    }

    [Fact]
    public void Index_stats_writes_splade_statistics_and_flops()
    {
        using var dir = new TempDirectory();
        WriteGoldenVectors(Fixtures.Golden("golden_documents.jsonl"), dir.File("docs.jsonl"));
        WriteGoldenVectors(Fixtures.Golden("golden_conversations.jsonl"), dir.File("queries.jsonl"));
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("index"), "--impacts", "uint8"));
        Assert.Equal(0, Run("index", "stats", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("stats")));
        var docs = VectorFile.Read(dir.File("docs.jsonl")).ToList();
        var l0 = JsonDocument.Parse(File.ReadAllText(dir.File("stats/index_stats.json"))).RootElement.GetProperty("L0_d").GetDouble();
        Assert.Equal(docs.Average(d => d.Terms.Length), l0, 9);
        var dist = JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(dir.File("stats/index_dist.json")))!;
        var documentFrequency = docs.SelectMany(d => d.Terms.Distinct()).CountBy(t => t).ToDictionary(p => p.Key, p => (long)p.Value);
        Assert.Equal(documentFrequency.OrderBy(p => p.Key, StringComparer.Ordinal), dist.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.True(JsonDocument.Parse(File.ReadAllText(dir.File("stats/flops.json"))).RootElement.GetProperty("flops").GetDouble() > 0);
        Assert.StartsWith("<svg", File.ReadAllText(dir.File("stats/index_dist.svg")));
    }

    [Fact]
    public void Index_stats_encodes_text_queries_with_a_model_as_encode_does()
    {
        using var dir = new TempDirectory();
        WriteGoldenVectors(Fixtures.Golden("golden_documents.jsonl"), dir.File("docs.jsonl"));
        File.WriteAllLines(dir.File("queries.tsv"), ["q1\twhat is the capital of france", "q2\thow do I keep a sourdough starter alive"]);
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("index")));
        Assert.Equal(0, CommandRunner.Run(EncodeCommand.Create(), "encode", "--model", Fixtures.TinySplade, "--input", dir.File("queries.tsv"), "--output", dir.File("queries.jsonl")));
        Assert.Equal(0, Run("index", "stats", dir.File("index"), "--queries", dir.File("queries.tsv"), "--model", Fixtures.TinySplade, "--out", dir.File("from-text")));
        Assert.Equal(0, Run("index", "stats", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("from-vectors")));
        static double Flops(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("flops").GetDouble();
        var fromVectors = Flops(dir.File("from-vectors/flops.json"));
        Assert.True(fromVectors > 0);
        Assert.Equal(fromVectors, Flops(dir.File("from-text/flops.json")), 12);
        Assert.Equal(2, Run("index", "stats", dir.File("index"), "--queries", dir.File("queries.tsv"), "--out", dir.File("no-model")));
    }

    [Fact]
    public void Text_queries_without_a_model_and_a_broken_index_are_one_line_errors()
    {
        using var dir = new TempDirectory();
        WriteGoldenVectors(Fixtures.Golden("golden_documents.jsonl"), dir.File("docs.jsonl"));
        File.WriteAllText(dir.File("queries.tsv"), "q1\twhat is paris\n");
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("index")));
        Assert.Equal(2, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.tsv"), "--out", dir.File("run")));
        File.WriteAllText(dir.File("index/meta.json"), File.ReadAllText(dir.File("index/meta.json")).Replace("\"version\": 2", "\"version\": 7", StringComparison.Ordinal));
        Assert.Equal(1, Run("search", "--index", dir.File("index"), "--queries", dir.File("docs.jsonl"), "--out", dir.File("run")));
        Assert.False(File.Exists(dir.File("run")));
    }

    private static Dictionary<string, List<(string Doc, double Score)>> ReadRun(string path, string format)
    {
        if (format == "json")
        {
            var json = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(File.ReadAllText(path))!;
            return json.ToDictionary(p => p.Key, p => p.Value.Select(e => (e.Key, e.Value)).ToList());
        }
        var run = new Dictionary<string, List<(string, double)>>();
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split(' ');
            Assert.Equal("Q0", f[1]);
            if (!run.TryGetValue(f[0], out var list))
                run[f[0]] = list = [];
            Assert.Equal(list.Count + 1, int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
            list.Add((f[2], double.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture)));
        }
        return run;
    }
}
