using Disco.Core;

namespace Disco.Training;

/// <summary>
/// DiSCo's training sampler (spec §2.3): for each query in teacher run ∩ qrels, candidates are the
/// teacher's ranks inside the window minus the positives; an item is one random positive and
/// <c>negatives</c> candidates, with the teacher's score for each.
/// </summary>
public sealed class DistillationSampler
{
    private readonly List<Entry> _entries = [];
    private readonly int _negatives;

    /// <param name="queries">query id → query text (flattened conversation)</param>
    /// <param name="qrels">query id → document id → relevance; relevance ≥ 1 marks a positive</param>
    /// <param name="teacherRun">query id → document id → teacher score</param>
    /// <param name="negatives">negatives per item</param>
    /// <param name="window">the slice of the teacher ranking candidates come from</param>
    /// <param name="isKnownDocument">whether the collection holds a document; others are skipped</param>
    public DistillationSampler(
        IReadOnlyDictionary<string, string> queries,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> teacherRun,
        int negatives,
        RankWindow window,
        Func<string, bool> isKnownDocument)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(teacherRun);
        ArgumentNullException.ThrowIfNull(isKnownDocument);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(negatives);
        _negatives = negatives;

        foreach (var qid in teacherRun.Keys.Order(StringComparer.Ordinal))
        {
            if (!qrels.TryGetValue(qid, out var judged) || !queries.TryGetValue(qid, out var text))
                continue;
            var positives = judged.Where(p => p.Value >= 1 && isKnownDocument(p.Key))
                .Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
            if (positives.Length == 0)
                continue;
            // Teacher rank order: score descending, ties by document id so the order is reproducible.
            var slice = teacherRun[qid]
                .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Skip(window.Start).Take(window.End - window.Start)
                .ToArray();
            if (slice.Length == 0)
                continue;
            var positiveSet = positives.ToHashSet(StringComparer.Ordinal);
            var candidates = slice.Where(p => !positiveSet.Contains(p.Key) && isKnownDocument(p.Key)).ToArray();
            if (candidates.Length == 0)
                continue;
            var sliceScores = slice.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            _entries.Add(new Entry(qid, text.Trim(), positives, candidates, sliceScores, slice.Max(p => p.Value)));
        }
    }

    /// <summary>Number of trainable queries (teacher run ∩ qrels ∩ queries, with candidates).</summary>
    public int Count => _entries.Count;

    /// <summary>The trainable query ids in the order items are indexed.</summary>
    public IReadOnlyList<string> QueryIds => _entries.Select(e => e.QueryId).ToArray();

    /// <summary>Draws the item for the query at <paramref name="index"/>.</summary>
    public DistillationGroup Sample(int index, TrainingRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var entry = _entries[index];
        var positive = entry.Positives[random.Next(entry.Positives.Length)];
        var ids = new List<string>(_negatives + 1) { positive };
        // The reference scores a positive outside the kept slice with the slice's best score (≈ rank 11).
        var scores = new List<float>(_negatives + 1)
        {
            (float)(entry.SliceScores.TryGetValue(positive, out var s) ? s : entry.SliceMax),
        };
        foreach (var candidate in PickNegatives(entry.Candidates, random))
        {
            ids.Add(candidate.Key);
            scores.Add((float)candidate.Value);
        }
        return new DistillationGroup(entry.QueryId, entry.Text, ids, scores);
    }

    private IEnumerable<KeyValuePair<string, double>> PickNegatives(KeyValuePair<string, double>[] candidates, TrainingRandom random)
    {
        if (candidates.Length == _negatives)
        {
            // Deviation: the reference draws with replacement (random.choices) when there are no more
            // candidates than negatives. With exactly as many we take each once, in teacher rank order,
            // which is what a sample without replacement would contain and keeps the item deterministic.
            return candidates;
        }
        if (candidates.Length < _negatives)
            return Enumerable.Range(0, _negatives).Select(_ => candidates[random.Next(candidates.Length)]);
        // Sample without replacement: a partial Fisher-Yates over the index range.
        var order = Enumerable.Range(0, candidates.Length).ToArray();
        var picked = new KeyValuePair<string, double>[_negatives];
        for (var i = 0; i < _negatives; i++)
        {
            var j = i + random.Next(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
            picked[i] = candidates[order[i]];
        }
        return picked;
    }

    /// <summary>Fails with a clear message when nothing can be trained on.</summary>
    public void EnsureNotEmpty(string what)
    {
        if (_entries.Count == 0)
            throw new DiscoException($"{what}: no query is in the teacher run, the qrels (relevance ≥ 1) and the queries with at least one candidate in the rank window");
    }

    private sealed record Entry(
        string QueryId,
        string Text,
        string[] Positives,
        KeyValuePair<string, double>[] Candidates,
        Dictionary<string, double> SliceScores,
        double SliceMax);
}
