using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>`disco beir` on a BEIR-layout dataset written from SPLADE's toy data, checked against `disco evaluate` on its run.</summary>
public sealed class BeirCommandTests
{
    /// <summary>
    /// corpus.jsonl with each toy passage split into a title (its first three words) and a text, so
    /// that title + " " + text is the passage; queries.jsonl; qrels/test.tsv with BEIR's header.
    /// Query "2" is also a document id (BEIR drops such a hit).
    /// </summary>
    private static string WriteToyBeir(string root)
    {
        var dir = Path.Combine(root, "toy");
        Directory.CreateDirectory(Path.Combine(dir, "qrels"));
        File.WriteAllLines(Path.Combine(dir, "corpus.jsonl"), File.ReadLines(Fixtures.Data("splade-toy", "full_collection", "raw.tsv")).Select(line =>
        {
            var id = line[..line.IndexOf('\t', StringComparison.Ordinal)];
            var words = line[(id.Length + 1)..].Split(' ');
            return JsonSerializer.Serialize(new { _id = id, title = string.Join(' ', words.Take(3)), text = string.Join(' ', words.Skip(3)) });
        }));
        File.WriteAllLines(Path.Combine(dir, "queries.jsonl"), File.ReadLines(Fixtures.Data("splade-toy", "dev_queries", "raw.tsv"))
            .Select(l => l.Split('\t')).Select(f => JsonSerializer.Serialize(new { _id = f[0], text = f[1] })));
        var qrels = Qrels.Read(Fixtures.Data("splade-toy", "qrel", "qrel.json"));
        File.WriteAllLines(Path.Combine(dir, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", .. qrels.Entries.Select(e => $"{e.QueryId}\t{e.DocId}\t{e.Relevance}")]);
        qrels.Write(Path.Combine(root, "qrels.trec"));
        return dir;
    }

    [Fact]
    public void Beir_metrics_equal_evaluate_on_the_written_run_and_the_index_is_cached()
    {
        using var temp = new TempDirectory();
        var dataset = WriteToyBeir(temp.Path);
        string[] args = ["beir", "--doc-model", Fixtures.TinySplade, "--dataset", dataset, "--cache", temp.File("cache"), "--out", temp.File("out"), "--max-length", "64", "--threads", "2"];

        Assert.Equal(0, CommandRunner.Run(BeirCommand.Create(), args));

        var report = JsonDocument.Parse(File.ReadAllText(temp.File("out/beir.json"))).RootElement;
        var toy = report.GetProperty("datasets").GetProperty("toy");
        var run = Run.Read(temp.File("out/toy/run.json"));
        Assert.DoesNotContain(run["2"].Documents, d => d.DocId == "2");
        Assert.Equal(9, run.Count); // 11 lines, 9 distinct ids (two listed twice), all judged
        var evaluated = CommandRunner.Evaluate(temp.File("qrels.trec"), temp.File("out/toy/run.json"), "ndcg_cut.10", "recall.100");
        Assert.Equal(evaluated["ndcg_cut_10"], toy.GetProperty("ndcg_cut_10").GetDouble(), 4);
        Assert.Equal(evaluated["recall_100"], toy.GetProperty("recall_100").GetDouble(), 4);
        Assert.Equal(toy.GetProperty("ndcg_cut_10").GetDouble(), report.GetProperty("mean").GetProperty("ndcg_cut_10").GetDouble());

        var index = toy.GetProperty("index").GetString()!;
        var built = Directory.GetLastWriteTimeUtc(index);
        Assert.Equal(0, CommandRunner.Run(BeirCommand.Create(), args));
        Assert.Equal(built, Directory.GetLastWriteTimeUtc(index));
    }
}
