using System.Globalization;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>`disco rerank` end to end on files, against the independent reference's logits.</summary>
public sealed class RerankCommandTests
{
    /// <summary>A BERT and a DistilBERT cross-encoder, each against its own independent reference.</summary>
    [Theory]
    [InlineData("tiny-cross-encoder")]
    [InlineData("tiny-distilbert-cross-encoder")]
    public void Rerank_writes_the_golden_order_to_the_depth_then_the_first_stage_rest(string fixtureName)
    {
        var fixture = Fixtures.RepoFixture(fixtureName);
        using var temp = new TempDirectory();
        var docs = File.ReadLines(Fixtures.Golden("golden_documents.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("text").GetString()!)).ToList();
        File.WriteAllLines(temp.File("collection.tsv"), docs.Select(d => $"{d.Id}\t{d.Text}"));
        // Conversations JSONL: the queries are flattened as the query encoder reads them.
        File.WriteAllLines(temp.File("conversations.jsonl"), File.ReadLines(Fixtures.Golden("golden_conversations.jsonl")).Where(l => l.Contains("\"c8\"", StringComparison.Ordinal)));
        File.WriteAllLines(temp.File("first.trec"), docs.Take(8).Select((d, i) => string.Create(CultureInfo.InvariantCulture, $"c8 Q0 {d.Id} {i + 1} {20 - i} bm25")));

        var code = CommandRunner.Run(RerankCommand.Create(), "rerank", "--model", fixture, "--run", temp.File("first.trec"),
            "--queries", temp.File("conversations.jsonl"), "--collection", temp.File("collection.tsv"), "--depth", "5", "--out", temp.File("reranked.trec"));

        Assert.Equal(0, code);
        var golden = File.ReadLines(Path.Combine(fixture, "golden_pairs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("query").GetString() == "c8" && e.GetProperty("max_length").GetInt32() == 512)
            .ToDictionary(e => e.GetProperty("doc").GetString()!, e => e.GetProperty("logit").GetDouble());
        var lines = File.ReadAllLines(temp.File("reranked.trec")).Select(l => l.Split(' ')).ToList();
        var expectedTop = docs.Take(5).Select(d => d.Id).OrderByDescending(d => golden[d]).ToList();
        Assert.Equal([.. expectedTop, "d5", "d6", "d7"], lines.Select(f => f[2]));
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8"], lines.Select(f => f[3]));
        Assert.All(lines, f => Assert.Equal("disco-rerank", f[5]));
        // Read back (trec_eval sorts by score): the same order.
        var run = Run.Read(temp.File("reranked.trec"));
        Assert.Equal(lines.Select(f => f[2]), run["c8"].Documents.OrderByDescending(d => d.Score).Select(d => d.DocId));
    }

    [Fact]
    public void A_run_query_missing_from_the_queries_is_a_usage_error()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("collection.tsv"), "d1\tsome passage\n");
        File.WriteAllText(temp.File("queries.tsv"), "q1\tsome question\n");
        File.WriteAllText(temp.File("first.trec"), "q2 Q0 d1 1 3.5 x\n");
        var code = CommandRunner.Run(RerankCommand.Create(), "rerank", "--model", Fixtures.TinyCrossEncoder, "--run", temp.File("first.trec"),
            "--queries", temp.File("queries.tsv"), "--collection", temp.File("collection.tsv"), "--out", temp.File("out.trec"));
        Assert.Equal(2, code);
    }
}
