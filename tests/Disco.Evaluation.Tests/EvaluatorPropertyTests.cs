using CsCheck;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Evaluation.Tests;

/// <summary>Randomised properties; CsCheck reports the failing seed, and each case is rebuilt from that seed.</summary>
public sealed class EvaluatorPropertyTests
{
    private static readonly int[] Ks = [1, 2, 3, 5, 10, 20, 30];

    private sealed record Case(
        Dictionary<string, IReadOnlyDictionary<string, int>> Qrels,
        Dictionary<string, IReadOnlyDictionary<string, double>> Run);

    /// <summary>Small collections with graded and negative judgements and many tied scores.</summary>
    private static Case MakeCase(int seed)
    {
        var random = new Random(seed);
        var qrels = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        var queries = random.Next(1, 7);
        for (var q = 0; q < queries; q++)
        {
            var qid = $"q{q}";
            // Small queries, and large ones with more judged documents than the evaluator counts one by one.
            var large = random.Next(3) == 0;
            var pool = large ? 200 : 30;
            var judged = new Dictionary<string, int>();
            for (var i = large ? random.Next(60, 150) : random.Next(1, 16); i > 0; i--)
                judged[$"d{random.Next(pool)}"] = random.Next(-1, 4);
            qrels[qid] = judged;
            // Some judged queries are missing from the run, but never all of them.
            if (q > 0 && random.Next(5) == 0)
                continue;
            var docs = new Dictionary<string, double>();
            for (var i = random.Next(0, large ? 180 : 26); i > 0; i--)
                docs[$"d{random.Next(pool)}"] = random.Next(large ? 40 : 5) * 0.5;
            run[qid] = docs;
        }
        return new Case(qrels, run);
    }

    private static MeasureSet AllMeasures(IEnumerable<int> ks)
    {
        var list = string.Join(",", ks);
        return MeasureSet.Parse(["num_q", "num_ret", "num_rel", "num_rel_ret", "map", "Rprec", "recip_rank", "ndcg",
            $"P.{list}", $"recall.{list}", $"ndcg_cut.{list}", $"success.{list}", $"mrr.{list}", $"judged.{list}"]);
    }

    [Fact]
    public void MatchesAStraightforwardOracle() =>
        Gen.Int.Sample(seed =>
        {
            var c = MakeCase(seed);
            foreach (var level in new[] { 1, 2 })
            {
                var result = Evaluator.Evaluate(c.Qrels, c.Run, AllMeasures(Ks), new EvaluationOptions(level));
                foreach (var q in result.Queries)
                {
                    var expected = Oracle(c.Qrels[q.QueryId], c.Run[q.QueryId], level);
                    foreach (var (name, value) in expected)
                        Assert.True(Math.Abs(value - result.Value(q.QueryId, name)) < 1e-12, $"seed {seed} level {level} {q.QueryId} {name}: {result.Value(q.QueryId, name)} != {value}");
                }
            }
        }, iter: 300);

    /// <summary>Definitions written directly from trec_eval's documentation, one LINQ expression each.</summary>
    private static Dictionary<string, double> Oracle(IReadOnlyDictionary<string, int> qrels, IReadOnlyDictionary<string, double> run, int level)
    {
        var ranked = run.OrderByDescending(p => p.Value).ThenByDescending(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).ToList();
        bool Relevant(string d) => qrels.TryGetValue(d, out var g) && g >= level;
        int Gain(string d) => qrels.TryGetValue(d, out var g) && g > 0 ? g : 0;
        static double Dcg(IEnumerable<int> gains) => gains.Select((g, i) => g / Math.Log2(i + 2)).Sum();
        var r = qrels.Values.Count(g => g >= level);
        var firstRelevant = ranked.FindIndex(Relevant);
        var ideal = qrels.Values.Where(g => g > 0).OrderDescending().ToList();
        var values = new Dictionary<string, double>
        {
            ["num_ret"] = ranked.Count,
            ["num_rel"] = r,
            ["num_rel_ret"] = ranked.Count(Relevant),
            ["map"] = r == 0 ? 0 : ranked.Select((d, i) => Relevant(d) ? (double)ranked.Take(i + 1).Count(Relevant) / (i + 1) : 0).Sum() / r,
            ["Rprec"] = r == 0 ? 0 : (double)ranked.Take(r).Count(Relevant) / r,
            ["recip_rank"] = firstRelevant < 0 ? 0 : 1.0 / (firstRelevant + 1),
            ["ndcg"] = ideal.Count == 0 ? 0 : Dcg(ranked.Select(Gain)) / Dcg(ideal),
        };
        foreach (var k in Ks)
        {
            var top = ranked.Take(k).ToList();
            values[$"P_{k}"] = (double)top.Count(Relevant) / k;
            values[$"recall_{k}"] = r == 0 ? 0 : (double)top.Count(Relevant) / r;
            values[$"ndcg_cut_{k}"] = ideal.Count == 0 ? 0 : Dcg(top.Select(Gain)) / Dcg(ideal.Take(k));
            values[$"success_{k}"] = top.Any(Relevant) ? 1 : 0;
            values[$"mrr_{k}"] = firstRelevant is >= 0 && firstRelevant < k ? 1.0 / (firstRelevant + 1) : 0;
            values[$"judged_{k}"] = (double)top.Count(d => qrels.TryGetValue(d, out var g) && g >= 0) / k;
        }
        return values;
    }

    [Fact]
    public void APerfectRunScoresOneOnEveryMeasureThatCanReachOne() =>
        Gen.Int.Sample(seed =>
        {
            var c = MakeCase(seed);
            // The perfect ranking: every judged document scored by its grade, relevant ones first.
            var perfect = c.Qrels.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, double>)p.Value.Where(d => d.Value >= 0).ToDictionary(d => d.Key, d => (double)d.Value));
            var result = Evaluator.Evaluate(c.Qrels, perfect, AllMeasures([1, 1000]));
            foreach (var q in result.Queries.Where(q => c.Qrels[q.QueryId].Values.Any(g => g >= 1)))
            {
                foreach (var name in new[] { "map", "Rprec", "recip_rank", "ndcg", "ndcg_cut_1", "ndcg_cut_1000", "P_1", "recall_1000", "success_1", "mrr_1", "judged_1" })
                    Assert.True(Math.Abs(result.Value(q.QueryId, name) - 1) < 1e-12, $"seed {seed} {q.QueryId} {name} = {result.Value(q.QueryId, name)}");
            }
        }, iter: 200);

    [Fact]
    public void RecallIsMonotoneInTheCutoff() =>
        Gen.Int.Sample(seed =>
        {
            var c = MakeCase(seed);
            var cutoffs = Enumerable.Range(1, 30).ToArray();
            var result = Evaluator.Evaluate(c.Qrels, c.Run, MeasureSet.Parse($"recall.{string.Join(",", cutoffs)}"));
            foreach (var q in result.Queries)
            {
                for (var i = 1; i < cutoffs.Length; i++)
                    Assert.True(q.Values[i] >= q.Values[i - 1], $"seed {seed} {q.QueryId} recall_{cutoffs[i]} < recall_{cutoffs[i - 1]}");
            }
        }, iter: 200);

    [Fact]
    public void TheOrderOfLinesInTheFilesDoesNotMatter() =>
        Gen.Int.Sample(seed =>
        {
            var c = MakeCase(seed);
            var random = new Random(seed);
            using var dir = new TempDirectory();
            var runLines = c.Run.SelectMany(q => q.Value.Select(d => $"{q.Key} Q0 {d.Key} 1 {d.Value} t")).ToArray();
            var qrelLines = c.Qrels.SelectMany(q => q.Value.Select(d => $"{q.Key} 0 {d.Key} {d.Value}")).ToArray();
            File.WriteAllLines(dir.File("run1"), runLines);
            File.WriteAllLines(dir.File("qrels1"), qrelLines);
            random.Shuffle(runLines);
            random.Shuffle(qrelLines);
            File.WriteAllLines(dir.File("run2"), runLines);
            File.WriteAllLines(dir.File("qrels2"), qrelLines);

            string Output(string qrels, string run)
            {
                using var w = new StringWriter();
                var measures = AllMeasures(Ks);
                TrecEvalFormat.Write(w, Evaluator.Evaluate(Qrels.Read(dir.File(qrels)), Run.Read(dir.File(run)), measures, new EvaluationOptions(AllQrelsQueries: true)), perQuery: true);
                return w.ToString();
            }

            Assert.Equal(Output("qrels1", "run1"), Output("qrels2", "run2"));
        }, iter: 50);
}
