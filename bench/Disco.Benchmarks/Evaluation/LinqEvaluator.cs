namespace Disco.Benchmarks.Evaluation;

/// <summary>
/// The peer: a straightforward single-threaded LINQ evaluation (sort each query with OrderBy, then compute the
/// measures from their definitions), as one would write without trec_eval or pytrec_eval at hand.
/// </summary>
public static class LinqEvaluator
{
    public static Dictionary<string, double> Evaluate(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> run)
    {
        var sums = new Dictionary<string, double> { ["map"] = 0, ["recip_rank"] = 0, ["P_10"] = 0, ["recall_100"] = 0, ["recall_1000"] = 0, ["ndcg_cut_10"] = 0 };
        var count = 0;
        foreach (var (qid, judged) in qrels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!run.TryGetValue(qid, out var docs))
                continue;
            count++;
            var ranked = docs.OrderByDescending(p => p.Value).ThenByDescending(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).ToList();
            var grades = ranked.Select(d => judged.TryGetValue(d, out var g) ? g : 0).ToList();
            var r = judged.Values.Count(g => g >= 1);
            var hits = grades.Select((g, i) => (g, i)).Where(x => x.g >= 1).Select(x => x.i).ToList();
            sums["map"] += r == 0 ? 0 : hits.Select((rank, n) => (n + 1.0) / (rank + 1)).Sum() / r;
            sums["recip_rank"] += hits.Count == 0 ? 0 : 1.0 / (hits[0] + 1);
            sums["P_10"] += hits.Count(i => i < 10) / 10.0;
            sums["recall_100"] += r == 0 ? 0 : (double)hits.Count(i => i < 100) / r;
            sums["recall_1000"] += r == 0 ? 0 : (double)hits.Count(i => i < 1000) / r;
            var ideal = judged.Values.Where(g => g > 0).OrderDescending().Take(10).Select((g, i) => g / Math.Log2(i + 2)).Sum();
            var dcg = grades.Take(10).Select((g, i) => g / Math.Log2(i + 2)).Sum();
            sums["ndcg_cut_10"] += ideal > 0 ? dcg / ideal : 0;
        }
        return sums.ToDictionary(p => p.Key, p => p.Value / count);
    }
}
