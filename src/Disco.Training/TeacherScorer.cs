using Disco.Core;
using Disco.Core.Vectors;

namespace Disco.Training;

/// <summary>
/// Computes teacher scores the teacher run lacks. A DiSCo teacher score is
/// SPLADE(rewrite)·SPLADE(passage) (spec §2.2), so any (query, passage) pair — typically a
/// positive outside the teacher's top 1000 — can be scored from the query's rewrite.
/// </summary>
public sealed class TeacherScorer
{
    private readonly ISparseEncoder _encoder;

    /// <param name="encoder">the teacher's SPLADE encoder (e.g. <c>SpladeEncoder.Load</c>), for rewrites and passages alike</param>
    public TeacherScorer(ISparseEncoder encoder) => _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));

    /// <summary>
    /// Returns <paramref name="existing"/> plus a score for every pair of <paramref name="pairs"/> it lacks.
    /// </summary>
    /// <returns>The completed run and the number of scores computed.</returns>
    public (Dictionary<string, Dictionary<string, double>> Run, int Computed) Complete(
        IReadOnlyDictionary<string, string> rewrites,
        IReadOnlyDictionary<string, string> collection,
        IEnumerable<(string QueryId, string DocumentId)> pairs,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? existing,
        IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rewrites);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(pairs);
        var run = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        if (existing is not null)
        {
            foreach (var (qid, docs) in existing)
                run[qid] = docs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        var missing = pairs.Where(p => !(run.TryGetValue(p.QueryId, out var docs) && docs.ContainsKey(p.DocumentId)))
            .Distinct().ToList();
        foreach (var (qid, did) in missing)
        {
            if (!rewrites.ContainsKey(qid))
                throw new DiscoException($"no rewrite for query '{qid}' (needed to score document '{did}')");
            if (!collection.ContainsKey(did))
                throw new DiscoException($"document '{did}' (query '{qid}') is not in the collection");
        }
        var queryVectors = Encode(missing.Select(p => p.QueryId).Distinct().ToArray(), rewrites, null);
        var documentVectors = Encode(missing.Select(p => p.DocumentId).Distinct().ToArray(), collection, progress);
        foreach (var (qid, did) in missing)
        {
            if (!run.TryGetValue(qid, out var docs))
                run[qid] = docs = new Dictionary<string, double>(StringComparer.Ordinal);
            docs[did] = queryVectors[qid].Dot(documentVectors[did]);
        }
        return (run, missing.Count);
    }

    private Dictionary<string, SparseVector> Encode(string[] ids, IReadOnlyDictionary<string, string> texts, IProgress<long>? progress)
    {
        var vectors = _encoder.Encode([.. ids.Select(id => texts[id])], progress);
        return ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => vectors[p.i], StringComparer.Ordinal);
    }
}
