
namespace Disco.Training.Tests;

public sealed class DistillationSamplerTests
{
    private static readonly Dictionary<string, string> Queries = new() { ["q1"] = " first query ", ["q2"] = "second", ["q3"] = "not judged" };

    private static readonly Dictionary<string, IReadOnlyDictionary<string, int>> Qrels = new()
    {
        ["q1"] = new Dictionary<string, int> { ["p"] = 1, ["zero"] = 0 },
        ["q2"] = new Dictionary<string, int> { ["d0"] = 2 },
    };

    [Fact]
    public void WindowExcludesTopRanksAndPositivesAndScoresAnUnrankedPositiveWithTheWindowMaximum()
    {
        // q1 ranking: d0 (10) d1 (9) p (8) d3 (7) d4 (6) d5 (5); window 1:5 keeps d1 p d3 d4.
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["q1"] = new Dictionary<string, double> { ["d0"] = 10, ["d1"] = 9, ["p"] = 8, ["d3"] = 7, ["d4"] = 6, ["d5"] = 5 },
            ["q2"] = new Dictionary<string, double> { ["d0"] = 10, ["d1"] = 9, ["d2"] = 8, ["d3"] = 7 },
            ["q3"] = new Dictionary<string, double> { ["d0"] = 1 },
        };
        var sampler = new DistillationSampler(Queries, Qrels, run, negatives: 3, new RankWindow(1, 5), _ => true);
        Assert.Equal(["q1", "q2"], sampler.QueryIds);

        var g1 = sampler.Sample(0, new TrainingRandom(1));
        Assert.Equal("first query", g1.QueryText);
        Assert.Equal(["p", "d1", "d3", "d4"], g1.DocumentIds);   // exactly 3 candidates: each once, in rank order
        Assert.Equal([8f, 9f, 7f, 6f], g1.TeacherScores);

        // q2's positive d0 is rank 1, outside the window: it is scored with the window's maximum (9).
        var g2 = sampler.Sample(1, new TrainingRandom(1));
        Assert.Equal("d0", g2.DocumentIds[0]);
        Assert.Equal(9f, g2.TeacherScores[0]);
        Assert.Equal(["d1", "d2", "d3"], g2.DocumentIds.Skip(1));
    }

    [Fact]
    public void DrawsWithoutReplacementWhenThereAreMoreCandidatesThanNegatives()
    {
        var ranking = Enumerable.Range(0, 40).ToDictionary(i => $"d{i}", i => 100.0 - i);
        ranking["p"] = 50.5;
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["q1"] = ranking };
        var sampler = new DistillationSampler(Queries, Qrels, run, negatives: 16, new RankWindow(10, 960), _ => true);
        for (var seed = 0; seed < 20; seed++)
        {
            var group = sampler.Sample(0, TrainingRandom.For(123, seed));
            var negatives = group.DocumentIds.Skip(1).ToArray();
            Assert.Equal(16, negatives.Length);
            Assert.Equal(16, negatives.Distinct().Count());
            Assert.All(negatives, d => Assert.True(int.Parse(d[1..], System.Globalization.CultureInfo.InvariantCulture) >= 10, d));
            Assert.DoesNotContain("p", negatives);
            for (var i = 1; i < group.DocumentIds.Count; i++)
                Assert.Equal((float)ranking[group.DocumentIds[i]], group.TeacherScores[i]);
        }
    }

    [Fact]
    public void DrawsWithReplacementWhenThereAreFewerCandidates()
    {
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["q1"] = new Dictionary<string, double> { ["p"] = 3, ["d1"] = 2, ["d2"] = 1 },
        };
        var sampler = new DistillationSampler(Queries, Qrels, run, negatives: 5, new RankWindow(0, 10), _ => true);
        var group = sampler.Sample(0, new TrainingRandom(7));
        Assert.Equal(6, group.DocumentIds.Count);
        Assert.All(group.DocumentIds.Skip(1), d => Assert.Contains(d, new[] { "d1", "d2" }));
    }

    [Fact]
    public void SameSeedSameItem()
    {
        var ranking = Enumerable.Range(0, 100).ToDictionary(i => $"d{i}", i => (double)i);
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["q1"] = ranking };
        var sampler = new DistillationSampler(Queries, Qrels, run, negatives: 4, new RankWindow(0, 100), _ => true);
        Assert.Equal(sampler.Sample(0, TrainingRandom.For(5, 1, 2)).DocumentIds, sampler.Sample(0, TrainingRandom.For(5, 1, 2)).DocumentIds);
        Assert.NotEqual(sampler.Sample(0, TrainingRandom.For(5, 1, 2)).DocumentIds, sampler.Sample(0, TrainingRandom.For(5, 1, 3)).DocumentIds);
    }
}
