namespace Disco.Training;

/// <summary>
/// Fuses several teacher runs (qid → docid → score) into one, for multi-teacher distillation. The
/// result keeps each query's top <c>depth</c> documents (score descending, ties by document id).
/// </summary>
public static class TeacherFusion
{
    /// <summary>The k of reciprocal rank fusion (Cormack et al.).</summary>
    public const int RrfK = 60;

    public static Dictionary<string, Dictionary<string, double>> Fuse(
        IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> runs,
        FusionMethod method,
        int depth = 1000)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        var queryIds = runs.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var fused = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var qid in queryIds)
        {
            var perRun = runs.Select(r => r.TryGetValue(qid, out var docs) ? docs : null).ToArray();
            var scores = method switch
            {
                FusionMethod.Union => Union(perRun),
                FusionMethod.Rrf => Combine(perRun, Ranks, (values, _) => values.Sum()),
                FusionMethod.Max => Combine(perRun, Raw, (values, _) => values.Max()),
                FusionMethod.Mean => Combine(perRun, Raw, (values, _) => values.Average()),
                FusionMethod.MinMaxMean => Combine(perRun, MinMax, (values, runCount) => values.Sum() / runCount),
                _ => throw new ArgumentOutOfRangeException(nameof(method)),
            };
            fused[qid] = scores
                .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Take(depth)
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        return fused;
    }

    private static Dictionary<string, double> Union(IReadOnlyDictionary<string, double>?[] perRun)
    {
        var merged = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var docs in perRun)
        {
            if (docs is null)
                continue;
            foreach (var (doc, score) in docs)
                merged[doc] = score;
        }
        return merged;
    }

    private static Dictionary<string, double> Combine(
        IReadOnlyDictionary<string, double>?[] perRun,
        Func<IReadOnlyDictionary<string, double>, Dictionary<string, double>> transform,
        Func<List<double>, int, double> reduce)
    {
        var collected = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var docs in perRun)
        {
            if (docs is null)
                continue;
            foreach (var (doc, value) in transform(docs))
            {
                if (!collected.TryGetValue(doc, out var list))
                    collected[doc] = list = [];
                list.Add(value);
            }
        }
        return collected.ToDictionary(p => p.Key, p => reduce(p.Value, perRun.Length), StringComparer.Ordinal);
    }

    private static Dictionary<string, double> Raw(IReadOnlyDictionary<string, double> docs) =>
        docs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Dictionary<string, double> Ranks(IReadOnlyDictionary<string, double> docs) =>
        docs.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select((p, i) => (p.Key, Value: 1.0 / (RrfK + i + 1)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Dictionary<string, double> MinMax(IReadOnlyDictionary<string, double> docs)
    {
        var min = docs.Values.Min();
        var range = docs.Values.Max() - min;
        // A query whose scores are all equal carries no preference: every document gets 0.5.
        return docs.ToDictionary(p => p.Key, p => range > 0 ? (p.Value - min) / range : 0.5, StringComparer.Ordinal);
    }
}
