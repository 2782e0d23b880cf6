namespace Disco.Index;

/// <summary>
/// Query terms ordered by increasing upper bound (query weight × the term's largest impact), with
/// prefix sums of the bounds, for MaxScore-style pruning. Bounds are summed in a different order
/// than scores, so a bound is compared as <c>bound * Margin</c>: the margin exceeds the worst-case
/// relative float32 rounding of an n-term sum of non-negative values ((n-1)·2^-24 on each side).
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
        Margin = 1f + (4f * (n + 1) / (1 << 24));
    }

    /// <summary>Canonical term positions in increasing order of upper bound.</summary>
    public int[] ByBound { get; }

    /// <summary>Prefix[i] = sum of the bounds of ByBound[0..i].</summary>
    public float[] Prefix { get; }

    public float Margin { get; }

    /// <summary>How many of the smallest-bound terms together cannot beat <paramref name="threshold"/>.</summary>
    public int NonEssential(float threshold, int from = 0)
    {
        var i = from;
        while (i < Prefix.Length && Prefix[i] * Margin <= threshold)
            i++;
        return i;
    }
}
