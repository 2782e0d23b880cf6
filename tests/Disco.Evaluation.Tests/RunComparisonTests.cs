using System.Text.Json;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Evaluation.Tests;

public sealed class RunComparisonTests
{
    private static readonly MeasureSet Measures = MeasureSet.Parse(["num_q", "map", "ndcg_cut.3,10", "mrr.10"]);

    private static EvaluationResult Evaluate(string run, bool complete = false) =>
        Evaluator.Evaluate(
            Qrels.Read(Fixtures.Fixture("trec_eval", "qrels.txt")),
            Run.Read(Fixtures.Fixture("trec_eval", run)),
            Measures,
            new EvaluationOptions(AllQrelsQueries: complete));

    [Fact]
    public void TestsPairTheQueriesEvaluatedInBothRuns()
    {
        var a = Evaluate("runA.txt");
        var b = Evaluate("runB.txt");

        var comparison = RunComparison.Compare(["A", "B"], [a, b]);

        var common = a.Queries.Select(q => q.QueryId).Intersect(b.Queries.Select(q => q.QueryId)).ToArray();
        Assert.Equal(common.Length, comparison.PairedQueries[1]);
        var map = comparison.Rows.Single(r => r.ValueName == "map");
        Assert.Equal([a["map"], b["map"]], map.Values);
        var expectedT = SignificanceTest.PairedTTest([.. common.Select(q => a.Value(q, "map"))], [.. common.Select(q => b.Value(q, "map"))]);
        Assert.Equal(expectedT, map.TTestP[1]);
        Assert.InRange(map.RandomizationP[1], 0, 1);
        Assert.True(double.IsNaN(comparison.Rows.Single(r => r.ValueName == "num_q").TTestP[1]));
    }

    [Fact]
    public void ARunComparedWithItselfIsNotSignificant()
    {
        var a = Evaluate("runA.txt");

        var comparison = RunComparison.Compare(["A", "A again"], [a, a]);

        Assert.All(comparison.Rows.Where(r => !r.IsCount), r => Assert.Equal(1.0, r.TTestP[1]));
        Assert.All(comparison.Rows.Where(r => !r.IsCount), r => Assert.Equal(1.0, r.RandomizationP[1]));
    }

    [Fact]
    public void JsonHoldsTheSameValuesAsTheResult()
    {
        var b = Evaluate("runB.txt", complete: true);
        using var stream = new MemoryStream();

        EvaluationJson.Write(stream, "runB.txt", b, new EvaluationOptions(AllQrelsQueries: true), perQuery: true);

        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.True(root.GetProperty("all_qrels_queries").GetBoolean());
        Assert.Equal(29, root.GetProperty("all").GetProperty("num_q").GetInt64());
        Assert.Equal(b["ndcg_cut_10"], root.GetProperty("all").GetProperty("ndcg_cut_10").GetDouble());
        Assert.Equal(b.Value("q11", "map"), root.GetProperty("queries").GetProperty("q11").GetProperty("map").GetDouble());
        Assert.False(root.GetProperty("queries").GetProperty("q0").TryGetProperty("num_q", out _));
    }

    [Fact]
    public void ComparisonJsonListsRunsWithTheirTests()
    {
        var comparison = RunComparison.Compare(["A", "B"], [Evaluate("runA.txt"), Evaluate("runB.txt")]);
        using var stream = new MemoryStream();

        EvaluationJson.Write(stream, comparison, new EvaluationOptions(), perQuery: false);

        using var doc = JsonDocument.Parse(stream.ToArray());
        var runs = doc.RootElement.GetProperty("runs");
        Assert.Equal("A", doc.RootElement.GetProperty("baseline").GetString());
        Assert.Equal(2, runs.GetArrayLength());
        Assert.False(runs[0].TryGetProperty("tests", out _));
        var map = runs[1].GetProperty("tests").GetProperty("map");
        Assert.Equal(comparison.Rows.Single(r => r.ValueName == "map").TTestP[1], map.GetProperty("paired_t").GetDouble());
    }
}
