using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Disco.Core.Runs;

/// <summary>
/// One query's retrieved documents, in rank order, and a lookup of each document's score. A
/// ranking made by search keeps its list and builds the lookup on first use; a ranking read from
/// a file keeps the lookup the reader built (to catch duplicate documents) and builds the list on
/// first use, so neither pays for both unless asked. Enumerates <c>(docid, score)</c> in rank order.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "The domain's own name; the map is a view for the evaluator.")]
public sealed class Ranking : IReadOnlyDictionary<string, double>
{
    private IReadOnlyList<ScoredDocument>? _documents;
    private Dictionary<string, double>? _scores;

    /// <summary>A ranking in the given order; a document listed twice is an error.</summary>
    public Ranking(string queryId, IReadOnlyList<ScoredDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(queryId);
        ArgumentNullException.ThrowIfNull(documents);
        QueryId = queryId;
        _documents = documents;
    }

    /// <summary>Wraps a reader's lookup, whose insertion order is the file's order (a Dictionary keeps it while nothing is removed).</summary>
    internal Ranking(string queryId, Dictionary<string, double> scores)
    {
        QueryId = queryId;
        _scores = scores;
    }

    public string QueryId { get; }

    /// <summary>The documents in rank order (as given, or as the file listed them).</summary>
    public IReadOnlyList<ScoredDocument> Documents =>
        _documents ?? LazyInitializer.EnsureInitialized(ref _documents, () => [.. _scores!.Select(p => new ScoredDocument(p.Key, p.Value))]);

    public int Count => _documents?.Count ?? _scores!.Count;

    /// <summary>The score of <paramref name="docId"/>; throws when it was not retrieved.</summary>
    public double this[string docId] => Scores.TryGetValue(docId, out var s) ? s : throw new KeyNotFoundException($"query '{QueryId}': document '{docId}' was not retrieved");

    public IEnumerable<string> Keys => Documents.Select(d => d.DocId);

    public IEnumerable<double> Values => Documents.Select(d => d.Score);

    public bool ContainsKey(string key) => Scores.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value) => Scores.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        foreach (var d in Documents)
            yield return new KeyValuePair<string, double>(d.DocId, d.Score);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// A ranking from unordered scores: score descending, ties by document id (ordinal) so the
    /// output is reproducible; <paramref name="depth"/> keeps only the top documents.
    /// </summary>
    public static Ranking FromScores(string queryId, IEnumerable<KeyValuePair<string, double>> scores, int? depth = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var ordered = scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => new ScoredDocument(p.Key, p.Value));
        return new Ranking(queryId, [.. depth is int k ? ordered.Take(k) : ordered]);
    }

    private Dictionary<string, double> Scores => _scores ?? LazyInitializer.EnsureInitialized(ref _scores, BuildScores);

    private Dictionary<string, double> BuildScores()
    {
        var scores = new Dictionary<string, double>(_documents!.Count, StringComparer.Ordinal);
        foreach (var d in _documents)
        {
            if (!scores.TryAdd(d.DocId, d.Score))
                throw new DiscoException($"query '{QueryId}': document '{d.DocId}' is ranked twice");
        }
        return scores;
    }
}
