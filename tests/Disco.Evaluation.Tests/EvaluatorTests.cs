using Disco.Core;

namespace Disco.Evaluation.Tests;

public sealed class EvaluatorTests
{
    private static Dictionary<string, IReadOnlyDictionary<string, int>> Qrels(params (string Qid, string Doc, int Grade)[] lines) =>
        lines.GroupBy(l => l.Qid).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(l => l.Doc, l => l.Grade));

    private static Dictionary<string, IReadOnlyDictionary<string, double>> Run(params (string Qid, string Doc, double Score)[] lines) =>
        lines.GroupBy(l => l.Qid).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.ToDictionary(l => l.Doc, l => l.Score));

    // q1: grades d1=3, d2=1, d3=0, d4=2 and d5=-1 (pooled but unjudged). q2 has only a non-relevant judgement,
    // q3 is judged but not retrieved, q4 is retrieved but not judged.
    private static readonly Dictionary<string, IReadOnlyDictionary<string, int>> HandQrels = Qrels(
        ("q1", "d1", 3), ("q1", "d2", 1), ("q1", "d3", 0), ("q1", "d4", 2), ("q1", "d5", -1),
        ("q2", "d1", 0),
        ("q3", "d1", 1));

    // q1 ranks d3, d6 (ties with d1 at 4.0; larger id first), d1, d2, d5, d7: grades 0, -, 3, 1, unjudged, -.
    private static readonly Dictionary<string, IReadOnlyDictionary<string, double>> HandRun = Run(
        ("q1", "d1", 4.0), ("q1", "d2", 3.0), ("q1", "d3", 5.0), ("q1", "d5", 2.0), ("q1", "d6", 4.0), ("q1", "d7", 1.0),
        ("q2", "d1", 1.0),
        ("q4", "d1", 9.0));

    private static readonly MeasureSet HandMeasures = MeasureSet.Parse(
        ["num_q", "num_ret", "num_rel", "num_rel_ret", "map", "Rprec", "recip_rank", "P.5,10", "recall.2,4,10", "ndcg", "ndcg_cut.3", "success.1,3", "mrr.2,3", "judged.2,5"]);

    [Fact]
    public void GradedQueryMatchesHandComputation()
    {
        var r = Evaluator.Evaluate(HandQrels, HandRun, HandMeasures);
        var idcg = 3 + (2 / Math.Log2(3)) + (1 / Math.Log2(4));

        Assert.Equal(6, r.Value("q1", "num_ret"));
        Assert.Equal(3, r.Value("q1", "num_rel"));
        Assert.Equal(2, r.Value("q1", "num_rel_ret"));
        Assert.Equal(((1.0 / 3) + (2.0 / 4)) / 3, r.Value("q1", "map"), 12);
        Assert.Equal(1.0 / 3, r.Value("q1", "Rprec"), 12);
        Assert.Equal(1.0 / 3, r.Value("q1", "recip_rank"), 12);
        Assert.Equal(0.4, r.Value("q1", "P_5"), 12);
        Assert.Equal(0.2, r.Value("q1", "P_10"), 12);
        Assert.Equal(0, r.Value("q1", "recall_2"));
        Assert.Equal(2.0 / 3, r.Value("q1", "recall_4"), 12);
        Assert.Equal(2.0 / 3, r.Value("q1", "recall_10"), 12);
        Assert.Equal(((3 / Math.Log2(4)) + (1 / Math.Log2(5))) / idcg, r.Value("q1", "ndcg"), 12);
        Assert.Equal(3 / Math.Log2(4) / idcg, r.Value("q1", "ndcg_cut_3"), 12);
        Assert.Equal(0, r.Value("q1", "success_1"));
        Assert.Equal(1, r.Value("q1", "success_3"));
        Assert.Equal(0, r.Value("q1", "mrr_2"));
        Assert.Equal(1.0 / 3, r.Value("q1", "mrr_3"), 12);
        Assert.Equal(0.5, r.Value("q1", "judged_2"));
        Assert.Equal(3.0 / 5, r.Value("q1", "judged_5"), 12);
    }

    [Fact]
    public void QueryWithoutRelevantDocumentsScoresZeroButCounts()
    {
        var r = Evaluator.Evaluate(HandQrels, HandRun, HandMeasures);

        Assert.Equal(["q1", "q2"], r.Queries.Select(q => q.QueryId));
        Assert.Equal(1, r.IgnoredRunQueries);
        Assert.Equal(2, r["num_q"]);
        Assert.Equal(0, r.Value("q2", "num_rel"));
        Assert.All(["map", "Rprec", "recip_rank", "ndcg", "ndcg_cut_3", "recall_10", "P_5", "mrr_3"], m => Assert.Equal(0, r.Value("q2", m)));
        Assert.Equal(0.5, r.Value("q2", "judged_2"));
        Assert.Equal(r.Value("q1", "map") / 2, r["map"], 12);
        Assert.Equal(7, r["num_ret"]);
        Assert.Equal(3, r["num_rel"]);
    }

    [Fact]
    public void CompleteModeScoresMissingQueriesAsEmptyRankings()
    {
        var r = Evaluator.Evaluate(HandQrels, HandRun, HandMeasures, new EvaluationOptions(AllQrelsQueries: true));

        Assert.Equal(["q1", "q2", "q3"], r.Queries.Select(q => q.QueryId));
        Assert.False(r.Queries[2].InRun);
        Assert.Equal(3, r["num_q"]);
        Assert.Equal(r.Value("q1", "map") / 3, r["map"], 12);
        Assert.Equal(0, r.Value("q3", "num_ret"));
        Assert.Equal(1, r.Value("q3", "num_rel"));
        Assert.Equal(4, r["num_rel"]);
    }

    [Fact]
    public void RelevanceLevelChangesBinaryMeasuresButNotNdcg()
    {
        var one = Evaluator.Evaluate(HandQrels, HandRun, HandMeasures);
        var two = Evaluator.Evaluate(HandQrels, HandRun, HandMeasures, new EvaluationOptions(RelevanceLevel: 2));

        Assert.Equal(2, two.Value("q1", "num_rel"));
        Assert.Equal(1.0 / 3 / 2, two.Value("q1", "map"), 12);
        Assert.Equal(one.Value("q1", "ndcg"), two.Value("q1", "ndcg"));
        Assert.Equal(one.Value("q1", "ndcg_cut_3"), two.Value("q1", "ndcg_cut_3"));
    }

    [Fact]
    public void EmptyRankingScoresZero()
    {
        var run = Run(("q9", "x", 1));
        run["q1"] = new Dictionary<string, double>();

        var r = Evaluator.Evaluate(HandQrels, run, HandMeasures);

        Assert.Equal(["q1"], r.Queries.Select(q => q.QueryId));
        Assert.Equal(0, r["num_ret"]);
        Assert.Equal(3, r["num_rel"]);
        Assert.All(r.ValueNames.Where(n => n is not ("num_q" or "num_rel")), n => Assert.Equal(0, r[n]));
    }

    [Fact]
    public void DisjointRunAndQrelsIsAnError() =>
        Assert.Throws<DiscoException>(() => Evaluator.Evaluate(HandQrels, Run(("zz", "d", 1)), HandMeasures));
}
