namespace Disco.Index;

/// <summary>
/// Orders documents so that similar ones are neighbours (<see cref="DocumentOrder.Clustered"/>):
/// recursive balanced bisection, as in graph-bisection reordering (Dhulipala et al., KDD 2016;
/// PISA's <c>recursive_graph_bisection</c>), but each split is a balanced 2-means over weighted
/// term vectors instead of a log-gap cost: the two halves' centroids are recomputed and every
/// document moves to the half whose centroid it is more similar to (the top half by the difference
/// of similarities, so the halves keep their sizes), until few documents move.
/// Deviation from BP, on purpose: the goal here is tight block maxima of weights (block-max
/// pruning), not small document gaps (compression), so documents are represented by their
/// <see cref="SignatureTerms"/> heaviest terms, L2-normalised, and similarity is a dot product.
/// Splits stop at <see cref="Leaf"/> documents and are aligned to multiples of it, and of
/// <see cref="CoarseUnit"/> at high levels. Deterministic for a given input.
/// </summary>
internal sealed class RecursiveBisection
{
    /// <summary>Heaviest terms per document used to compare documents.</summary>
    public const int SignatureTerms = 16;

    /// <summary>Documents no longer split.</summary>
    public const int Leaf = 16;

    /// <summary>Split sizes at high levels are multiples of this.</summary>
    public const int CoarseUnit = 1024;

    private const int MaxIterations = 8;
    private const int SeedCandidates = 32;
    private const int ParallelFrom = 1 << 15;
    private readonly int _documents;
    private readonly int _vocabulary;
    private readonly int _leaf;
    private readonly int _coarseUnit;
    private readonly int[] _terms;
    private readonly float[] _weights;
    private readonly int[] _order;
    private readonly byte[] _side;

    private RecursiveBisection(int documents, int vocabulary, int leaf, int coarseUnit)
    {
        _documents = documents;
        _vocabulary = vocabulary;
        _leaf = leaf;
        _coarseUnit = coarseUnit;
        _terms = new int[(long)documents * SignatureTerms];
        _weights = new float[_terms.Length];
        _order = new int[documents];
        _side = new byte[documents];
    }

    /// <summary>The new order: <c>order[newId] = inputId</c>.</summary>
    public static int[] Order(ForwardFile documents, int vocabulary)
    {
        var b = new RecursiveBisection(documents.Count, vocabulary, Leaf, CoarseUnit);
        for (var d = 0; d < documents.Count; d++)
        {
            documents.Vector(d, out var terms, out var weights);
            b.SetSignature(d, terms, weights);
            b._order[d] = d;
        }
        b.Split(0, documents.Count, new float[vocabulary]);
        return b._order;
    }

    private void SetSignature(int doc, ReadOnlySpan<int> terms, ReadOnlySpan<float> weights)
    {
        // The heaviest SignatureTerms terms (ties by term id), then L2-normalised.
        Span<int> pick = stackalloc int[SignatureTerms];
        var count = 0;
        for (var i = 0; i < terms.Length; i++)
        {
            if (count < SignatureTerms)
            {
                pick[count++] = i;
                continue;
            }
            var worst = 0;
            for (var j = 1; j < SignatureTerms; j++)
            {
                if (Heavier(terms, weights, pick[worst], pick[j]))
                    worst = j;
            }
            if (Heavier(terms, weights, i, pick[worst]))
                pick[worst] = i;
        }
        var norm = 0.0;
        for (var j = 0; j < count; j++)
            norm += (double)weights[pick[j]] * weights[pick[j]];
        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        var at = (long)doc * SignatureTerms;
        for (var j = 0; j < SignatureTerms; j++)
        {
            _terms[at + j] = j < count ? terms[pick[j]] : 0;
            _weights[at + j] = j < count ? weights[pick[j]] * scale : 0f;
        }
    }

    private static bool Heavier(ReadOnlySpan<int> terms, ReadOnlySpan<float> weights, int a, int b) =>
        weights[a] > weights[b] || (weights[a] == weights[b] && terms[a] < terms[b]);

    private void Split(int lo, int hi, float[] direction)
    {
        var n = hi - lo;
        if (n <= _leaf)
            return;
        var unit = n >= 4 * _coarseUnit ? _coarseUnit : n > 2 * _leaf ? _leaf : 1;
        var left = (int)Math.Round(n / 2.0 / unit) * unit;
        left = Math.Clamp(left, unit == 1 ? Math.Min(_leaf, n - 1) : unit, n - 1);
        var docs = _order.AsSpan(lo, n);
        var keys = new ulong[n];
        Seed(docs, direction);
        for (var iteration = 0; ; iteration++)
        {
            // Largest gain first; the document id breaks ties so the order is deterministic.
            for (var i = 0; i < n; i++)
            {
                var gain = Gain(docs[i], direction);
                keys[i] = ((ulong)~SortableBits(gain) << 32) | (uint)docs[i];
            }
            Array.Sort(keys);
            Clear(docs, direction);
            var moved = 0;
            for (var i = 0; i < n; i++)
            {
                var d = (int)(uint)keys[i];
                docs[i] = d;
                var side = (byte)(i < left ? 1 : 2);
                if (_side[d] != side)
                    moved++;
                _side[d] = side;
            }
            if (iteration + 1 == MaxIterations || (iteration > 0 && moved <= n / 200))
                break;
            Centroids(docs, left, direction);
        }
        if (n >= ParallelFrom)
        {
            Parallel.Invoke(
                () => Split(lo, lo + left, direction),
                () => Split(lo + left, hi, new float[_vocabulary]));
        }
        else
        {
            Split(lo, lo + left, direction);
            Split(lo + left, hi, direction);
        }
    }

    /// <summary>
    /// First direction: from a random document towards the least similar of a few random others
    /// (the seeds of 2-means). The seed documents come from a generator seeded by the node, so the
    /// order does not depend on thread timing.
    /// </summary>
    private void Seed(Span<int> docs, float[] direction)
    {
        var random = new Random(docs.Length ^ docs[0]);
        var a = docs[random.Next(docs.Length)];
        Add(a, direction, 1f);
        var b = a;
        var best = float.MaxValue;
        for (var i = 0; i < SeedCandidates; i++)
        {
            var c = docs[random.Next(docs.Length)];
            var similarity = Gain(c, direction);
            if (c != a && similarity < best)
            {
                best = similarity;
                b = c;
            }
        }
        Add(b, direction, -1f);
        // Every document starts unassigned, so the first split counts as moving everything.
        foreach (var d in docs)
            _side[d] = 0;
    }

    private void Centroids(Span<int> docs, int left, float[] direction)
    {
        var l = 1f / left;
        var r = -1f / (docs.Length - left);
        for (var i = 0; i < docs.Length; i++)
            Add(docs[i], direction, i < left ? l : r);
    }

    private void Add(int doc, float[] direction, float factor)
    {
        var at = (long)doc * SignatureTerms;
        for (var j = 0; j < SignatureTerms; j++)
            direction[_terms[at + j]] += factor * _weights[at + j];
    }

    private float Gain(int doc, float[] direction)
    {
        var at = (long)doc * SignatureTerms;
        var sum = 0f;
        for (var j = 0; j < SignatureTerms; j++)
            sum += _weights[at + j] * direction[_terms[at + j]];
        return sum;
    }

    private void Clear(Span<int> docs, float[] direction)
    {
        foreach (var d in docs)
        {
            var at = (long)d * SignatureTerms;
            for (var j = 0; j < SignatureTerms; j++)
                direction[_terms[at + j]] = 0f;
        }
    }

    /// <summary>Float bits as an unsigned key that orders like the float (negative values included).</summary>
    private static uint SortableBits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }
}
