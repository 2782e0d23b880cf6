using Disco.Core.Vectors;

namespace Disco.Index;

/// <summary>
/// A query ready for one index: index term ids in increasing order with positive weights. The
/// term order is the canonical summation order: every algorithm adds a document's contributions
/// <c>weight * impact</c> in float32 in this order, so their scores are bit-identical.
/// </summary>
public sealed class SearchQuery
{
    private SearchQuery(string id, int[] terms, float[] weights)
    {
        Id = id;
        Terms = terms;
        Weights = weights;
    }

    public string Id { get; }

    public int[] Terms { get; }

    public float[] Weights { get; }

    public int Count => Terms.Length;

    /// <summary>
    /// Prepares a query from vocabulary strings. Duplicate terms add up; weights that are not
    /// positive are dropped (SPLADE query weights are log(1 + relu(.)) ≥ 0, so this changes no
    /// SPLADE ranking, and it keeps the upper bounds of dynamic pruning valid); terms missing
    /// from the index contribute nothing and are dropped after pruning.
    /// </summary>
    public static SearchQuery Create(SparseIndex index, TermVector vector, QueryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(vector);
        options ??= new QueryOptions();
        if (vector.TermIds is { } ids && ReferenceEquals(vector.Table, index.Terms))
            return Resolved(vector, ids, options);
        var merged = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var i = 0; i < vector.Terms.Length; i++)
            merged[vector.Terms[i]] = merged.GetValueOrDefault(vector.Terms[i]) + vector.Weights[i];
        IEnumerable<KeyValuePair<string, float>> kept = merged.Where(p => p.Value > 0 && p.Value >= options.MinWeight && float.IsFinite(p.Value));
        if (options.MaxTerms is int max and > 0)
            kept = kept.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(max);
        var pairs = new List<(int Term, float Weight)>();
        foreach (var (term, weight) in kept)
        {
            if (index.TermId(term) is int id)
                pairs.Add((id, weight));
        }
        pairs.Sort((a, b) => a.Term.CompareTo(b.Term));
        return new SearchQuery(vector.Id, [.. pairs.Select(p => p.Term)], [.. pairs.Select(p => p.Weight)]);
    }

    /// <summary>
    /// The same query as the strings give, from term ids the vector reader resolved against this
    /// index (<see cref="SparseIndex.Terms"/>): the reader refuses a token twice, so there is
    /// nothing to merge, and no string is looked up again.
    /// </summary>
    private static SearchQuery Resolved(TermVector vector, int[] ids, QueryOptions options)
    {
        var kept = new List<int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var w = vector.Weights[i];
            if (w > 0 && w >= options.MinWeight && float.IsFinite(w))
                kept.Add(i);
        }
        if (options.MaxTerms is int max and > 0 && kept.Count > max)
        {
            kept.Sort((a, b) => vector.Weights[a] != vector.Weights[b] ? vector.Weights[b].CompareTo(vector.Weights[a]) : string.CompareOrdinal(vector.Terms[a], vector.Terms[b]));
            kept.RemoveRange(max, kept.Count - max);
        }
        var terms = new int[kept.Count];
        var weights = new float[kept.Count];
        var n = 0;
        foreach (var i in kept)
        {
            if (ids[i] < 0)
                continue;
            terms[n] = ids[i];
            weights[n++] = vector.Weights[i];
        }
        if (n < terms.Length)
        {
            Array.Resize(ref terms, n);
            Array.Resize(ref weights, n);
        }
        Array.Sort(terms, weights);
        return new SearchQuery(vector.Id, terms, weights);
    }

    /// <summary>
    /// Prepares a query encoded over an encoder's vocabulary, through <paramref name="map"/>: the
    /// same query as <see cref="Create(SparseIndex, TermVector, QueryOptions?)"/> with the terms
    /// spelled out (ties of <see cref="QueryOptions.MaxTerms"/> still go by term string), without
    /// building the strings.
    /// </summary>
    public static SearchQuery Create(VocabularyMap map, string id, SparseVector vector, QueryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(vector);
        if (map.HasDuplicateStrings)
            return Create(map.Index, new TermVector(id, [.. vector.Indices.Select(i => map.Vocabulary[i])], vector.Values), options);
        options ??= new QueryOptions();
        // Vector ids are distinct, so there is nothing to merge.
        var kept = new List<(int Term, float Weight)>(vector.Count);
        for (var i = 0; i < vector.Count; i++)
        {
            var w = vector.Values[i];
            if (w > 0 && w >= options.MinWeight && float.IsFinite(w))
                kept.Add((vector.Indices[i], w));
        }
        IEnumerable<(int Term, float Weight)> chosen = kept;
        if (options.MaxTerms is int max and > 0)
            chosen = kept.OrderByDescending(p => p.Weight).ThenBy(p => map.Vocabulary[p.Term], StringComparer.Ordinal).Take(max);
        var pairs = new List<(int Term, float Weight)>(kept.Count);
        foreach (var (term, weight) in chosen)
        {
            if (map.IndexTerm(term) is var indexTerm and >= 0)
                pairs.Add((indexTerm, weight));
        }
        pairs.Sort((a, b) => a.Term.CompareTo(b.Term));
        return new SearchQuery(id, [.. pairs.Select(p => p.Term)], [.. pairs.Select(p => p.Weight)]);
    }
}
