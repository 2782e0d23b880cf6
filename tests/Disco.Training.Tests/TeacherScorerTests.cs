using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Training.Tests;

public sealed class TeacherScorerTests
{
    [Fact]
    public void ComputedScoresReproduceTheGoldenRankingsAndExistingScoresAreKept()
    {
        var rewrites = File.ReadLines(Fixtures.Golden("golden_conversations.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("flattened").GetString()!, StringComparer.Ordinal);
        var collection = File.ReadLines(Fixtures.Golden("golden_documents.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("text").GetString()!, StringComparer.Ordinal);
        var golden = File.ReadLines(Fixtures.Golden("golden_rankings.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var pairs = golden.SelectMany(g => collection.Keys.Select(d => (g.GetProperty("query").GetString()!, d))).ToList();
        // An existing teacher score must survive untouched.
        var existing = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["c1"] = new Dictionary<string, double> { ["d5"] = 999.5 } };

        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade);
        var scorer = new TeacherScorer(encoder);
        var (run, computed) = scorer.Complete(rewrites, collection, pairs, existing);

        Assert.Equal(pairs.Count - 1, computed);
        Assert.Equal(999.5, run["c1"]["d5"]);
        foreach (var g in golden)
        {
            var qid = g.GetProperty("query").GetString()!;
            Assert.Equal(collection.Count, run[qid].Count);
            foreach (var expected in g.GetProperty("top10").EnumerateArray())
            {
                var doc = expected.GetProperty("doc").GetString()!;
                if (qid == "c1" && doc == "d5")
                    continue;
                var score = expected.GetProperty("score").GetDouble();
                Assert.Equal(score, run[qid][doc], 1e-3 * Math.Max(1, Math.Abs(score)));
            }
        }
    }
}
