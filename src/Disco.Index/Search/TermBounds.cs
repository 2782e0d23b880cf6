namespace Disco.Index;

/// <summary>
/// Query terms ordered by increasing upper bound (query weight × the term's largest impact), with
/// prefix sums of the bounds, for MaxScore-style pruning (compared through
/// <see cref="TopKQueue.WouldEnter"/>, which allows for their different summation order).
/// </summary>
internal sealed class TermBounds
{
    public TermBounds(SearchQuery query, SparseIndex index)
    {
        var n = query.Count;
        var bounds = new float[n];
        ByBound = new int[n];
        for (var t = 0; t < n; t++)
        {
            ByBound[t] = t;
            bounds[t] = query.Weights[t] * index.MaxImpact(query.Terms[t]);
        }
        Array.Sort((float[])bounds.Clone(), ByBound);
        Prefix = new float[n];
        var sum = 0f;
        for (var i = 0; i < n; i++)
            Prefix[i] = sum += bounds[ByBound[i]];
    }

    /// <summary>Canonical term positions in increasing order of upper bound.</summary>
    public int[] ByBound { get; }

    /// <summary>Prefix[i] = sum of the bounds of ByBound[0..i].</summary>
    public float[] Prefix { get; }

    /// <summary>How many of the smallest-bound terms together cannot put a document into <paramref name="queue"/>.</summary>
    public int NonEssential(TopKQueue queue, int from = 0)
    {
        var i = from;
        while (i < Prefix.Length && !queue.WouldEnter(Prefix[i]))
            i++;
        return i;
    }
}
