using System.Text;
using System.Text.Json;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Training.Tests;

public sealed class TeacherCommandTests
{
    [Fact]
    public void ScoreReproducesTheGoldenRankingsAndKeepsExistingScores()
    {
        using var dir = new TempDirectory();
        var rewrites = new StringBuilder();
        foreach (var line in File.ReadLines(Fixtures.Golden("golden_conversations.jsonl")))
        {
            using var c = JsonDocument.Parse(line);
            rewrites.Append(c.RootElement.GetProperty("id").GetString()).Append('\t').Append(c.RootElement.GetProperty("flattened").GetString()).Append('\n');
        }
        var collection = new StringBuilder();
        var docIds = new List<string>();
        foreach (var line in File.ReadLines(Fixtures.Golden("golden_documents.jsonl")))
        {
            using var d = JsonDocument.Parse(line);
            var id = d.RootElement.GetProperty("id").GetString()!;
            docIds.Add(id);
            collection.Append(id).Append('\t').Append(d.RootElement.GetProperty("text").GetString()).Append('\n');
        }
        var golden = File.ReadLines(Fixtures.Golden("golden_rankings.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var pairs = string.Concat(golden.SelectMany(g => docIds.Select(d => $"{g.GetProperty("query").GetString()} 0 {d} 1\n")));
        File.WriteAllText(dir.File("rewrites.tsv"), rewrites.ToString());
        File.WriteAllText(dir.File("collection.tsv"), collection.ToString());
        File.WriteAllText(dir.File("pairs.txt"), pairs);
        // An existing teacher score must survive untouched.
        File.WriteAllText(dir.File("existing.json"), """{"c1": {"d5": 999.5}}""");

        Assert.Equal(0, CliRunner.Run(
            "teacher", "score", "--rewrites", dir.File("rewrites.tsv"), "--collection", dir.File("collection.tsv"),
            "--model", Fixtures.TinySplade, "--pairs", dir.File("pairs.txt"), "--run", dir.File("existing.json"), "--out", dir.File("teacher.json")));

        var run = Run.Read(dir.File("teacher.json"));
        Assert.Equal(999.5, run["c1"]["d5"], 3);
        foreach (var g in golden)
        {
            var qid = g.GetProperty("query").GetString()!;
            Assert.Equal(docIds.Count, run[qid].Count);
            var top = run[qid].Where(p => !(qid == "c1" && p.Key == "d5"))
                .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(10).ToArray();
            var expected = g.GetProperty("top10").EnumerateArray().ToArray();
            for (var i = 0; i < expected.Length; i++)
            {
                var score = expected[i].GetProperty("score").GetDouble();
                var doc = expected[i].GetProperty("doc").GetString()!;
                if (qid == "c1" && doc == "d5")
                    continue;
                Assert.Equal(score, run[qid][doc], 1e-3 * Math.Max(1, Math.Abs(score)));
            }
        }
    }

    [Fact]
    public void FuseWritesTheFusedRunWithTheChosenMethod()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.json"), """{"q": {"d1": 10, "d2": 6}}""");
        File.WriteAllText(dir.File("b.trec"), "q Q0 d2 1 30 b\nq Q0 d3 2 20 b\n");
        Assert.Equal(0, CliRunner.Run("teacher", "fuse", "--run", dir.File("a.json"), "--run", dir.File("b.trec"), "--method", "max", "--depth", "2", "--out", dir.File("fused.json")));
        var fused = Run.Read(dir.File("fused.json"));
        Assert.Equal(new Dictionary<string, double> { ["d2"] = 30, ["d3"] = 20 }, fused["q"].ToDictionary(p => p.Key, p => p.Value));

        Assert.Equal(0, CliRunner.Run("teacher", "fuse", "--run", dir.File("a.json"), "--run", dir.File("b.trec"), "--out", dir.File("minmax.trec")));
        var minmax = Run.Read(dir.File("minmax.trec"));
        Assert.Equal(0.5, minmax["q"]["d1"], 5);
        Assert.Equal(0.5, minmax["q"]["d2"], 5);
        Assert.Equal(0.0, minmax["q"]["d3"], 5);
    }
}
