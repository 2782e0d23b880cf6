namespace Disco.Benchmarks.Evaluation;

/// <summary>
/// Synthetic qrels and runs shaped like MS MARCO-style evaluations: a 1M-document collection, 1000 retrieved
/// documents per query, about 10 judgements per query (grades 0-3), half of them retrieved.
/// </summary>
public static class SyntheticRuns
{
    public static (Dictionary<string, IReadOnlyDictionary<string, int>> Qrels, Dictionary<string, IReadOnlyDictionary<string, double>> Run) Create(int queries, int depth, int seed = 42)
    {
        var random = new Random(seed);
        var collection = Enumerable.Range(0, 1_000_000).Select(i => $"D{i}").ToArray();
        var qrels = new Dictionary<string, IReadOnlyDictionary<string, int>>(queries);
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>>(queries);
        for (var q = 0; q < queries; q++)
        {
            var qid = $"Q{q}";
            var docs = new Dictionary<string, double>(depth);
            while (docs.Count < depth)
                docs[collection[random.Next(collection.Length)]] = Math.Round(random.NextDouble() * 30, 3);
            var judged = new Dictionary<string, int>();
            var retrieved = docs.Keys.ToArray();
            for (var j = 0; j < 10; j++)
            {
                var doc = j % 2 == 0 ? retrieved[random.Next(retrieved.Length)] : collection[random.Next(collection.Length)];
                judged[doc] = random.Next(4);
            }
            qrels[qid] = judged;
            run[qid] = docs;
        }
        return (qrels, run);
    }
}
