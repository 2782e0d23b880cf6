namespace Disco.Index;

/// <summary>
/// The k best (score, doc) pairs seen so far. Order: higher score first, then smaller document id
/// (earlier in the index). Only positive scores enter, as in SPLADE (<c>acc &gt; threshold</c>
/// with threshold 0). Small k: a min-heap whose root is the worst kept hit. Large k: candidates are
/// appended to a buffer of 2k and, when it fills, the best k are selected in linear time (radix
/// selection) and the k-th becomes the bar; this costs a few operations per candidate where a heap
/// of 1000 costs a dozen cache-missing sift steps. Pruning asks <see cref="WouldEnter"/> whether an upper bound
/// of a document's score can still make it in; the float-rounding margin lives there.
/// </summary>
internal sealed class TopKQueue
{
    /// <summary>From this k on, the buffered mode is used.</summary>
    public const int BufferedFrom = 64;

    private float[] _scores = [];
    private int[] _docs = [];
    private int _k;
    private bool _buffered;
    private bool _hasBar;
    private float _barScore;
    private int _barDoc;
    private float _margin = 1f;

    /// <summary>Radix selection's digits (shift, width): the 32 bits of a score in three passes.</summary>
    private static readonly (int Shift, int Width)[] RadixDigits = [(21, 11), (10, 11), (0, 10)];

    private readonly int[] _radixCounts = new int[1 << 11];
    private int[] _tieDocs = [];

    /// <summary>Entries held (in buffered mode up to 2k until the next selection).</summary>
    public int Count { get; private set; }

    public int K => _k;

    /// <summary>The scores held, in no particular order.</summary>
    public ReadOnlySpan<float> Scores => _scores.AsSpan(0, Count);

    /// <summary>
    /// A candidate must score above this to enter (the k-th score once known, else 0). Callers offer
    /// documents in increasing id order, so a tie with the k-th score never enters.
    /// </summary>
    public float Threshold => _buffered ? (_hasBar ? _barScore : 0f) : (Count == _k ? _scores[0] : 0f);

    /// <summary>
    /// Bounds are summed in a different order than scores, so <see cref="WouldEnter"/> inflates
    /// them by this relative margin, which exceeds the worst-case float32 rounding of a sum of
    /// <c>terms</c> non-negative values on either side ((terms - 1)·2^-24 each).
    /// </summary>
    public float Margin => _margin;

    /// <summary>Empties the queue for a query of <paramref name="terms"/> terms.</summary>
    public void Reset(int k, int terms = 1)
    {
        _k = k;
        _margin = 1f + (4f * (Math.Max(terms, 1) + 1) / (1 << 24));
        _buffered = k >= BufferedFrom;
        _hasBar = false;
        Count = 0;
        var capacity = _buffered ? 2 * k : k;
        if (_scores.Length < capacity)
        {
            _scores = new float[capacity];
            _docs = new int[capacity];
        }
    }

    /// <summary>
    /// False when a document whose score is at most <paramref name="bound"/> (an upper bound summed
    /// in any order) can no longer enter: <c>bound × margin ≤ threshold</c>.
    /// With the margin the test is safe against rounding, and a tie with the k-th score is kept as a candidate.
    /// </summary>
    public bool WouldEnter(float bound) => bound * _margin > Threshold;

    /// <summary>
    /// A cut-off for vector pre-filters of partial scores: a partial score at or below it cannot
    /// enter even with <paramref name="rest"/> added. It divides by the margin twice, so its own
    /// rounding never hides a document that <see cref="WouldEnter"/> would let through.
    /// </summary>
    public float PartialCutoff(float rest) => Math.Max(0f, (Threshold / (_margin * _margin)) - rest);

    /// <summary>Offers a hit; returns true when it entered.</summary>
    public bool Offer(int doc, float score)
    {
        if (_k == 0 || !(score > 0))
            return false;
        if (_buffered)
        {
            if (_hasBar && !Better(score, doc, _barScore, _barDoc))
                return false;
            if (Count == 2 * _k)
            {
                Select();
                if (!Better(score, doc, _barScore, _barDoc))
                    return false;
            }
            _scores[Count] = score;
            _docs[Count] = doc;
            Count++;
            return true;
        }
        if (Count < _k)
        {
            var i = Count++;
            _scores[i] = score;
            _docs[i] = doc;
            SiftUp(i);
            return true;
        }
        if (!Better(score, doc, _scores[0], _docs[0]))
            return false;
        _scores[0] = score;
        _docs[0] = doc;
        SiftDown(0);
        return true;
    }

    /// <summary>The kept hits, best first.</summary>
    public IndexHit[] ToSortedArray()
    {
        if (_buffered && Count > _k)
            Select();
        // One 64-bit key per hit sorts as (score, -doc): positive float32 bits order like the floats.
        var keys = new ulong[Count];
        for (var i = 0; i < Count; i++)
            keys[i] = ((ulong)BitConverter.SingleToUInt32Bits(_scores[i]) << 32) | (uint)(int.MaxValue - _docs[i]);
        Array.Sort(keys);
        var hits = new IndexHit[Count];
        for (var i = 0; i < Count; i++)
        {
            var key = keys[Count - 1 - i];
            hits[i] = new IndexHit(int.MaxValue - (int)(uint)key, BitConverter.UInt32BitsToSingle((uint)(key >> 32)));
        }
        return hits;
    }

    private static bool Better(float s1, int d1, float s2, int d2) => s1 > s2 || (s1 == s2 && d1 < d2);

    /// <summary>
    /// Keeps the k best entries and makes the worst of them the bar: the k-th best score by radix
    /// selection on its bits (positive floats order like their bit patterns; three counting passes
    /// of 11, 11 and 10 bits), then one compaction pass; of the entries tied with that score the
    /// smallest documents stay. Branch-free counting where a quickselect on (score, document) pairs
    /// mispredicted about every other comparison (3% of a k=1000 query on c1m).
    /// </summary>
    private void Select()
    {
        var count = Count;
        var need = _k;
        uint prefix = 0, prefixMask = 0;
        var counts = _radixCounts;
        foreach (var (shift, width) in RadixDigits)
        {
            Array.Clear(counts);
            var digitMask = (1u << width) - 1;
            for (var i = 0; i < count; i++)
            {
                var bits = BitConverter.SingleToUInt32Bits(_scores[i]);
                if ((bits & prefixMask) == prefix)
                    counts[(bits >> shift) & digitMask]++;
            }
            // The highest digit whose entries, with those above it, reach the rank still needed.
            var d = (int)digitMask;
            while (counts[d] < need)
            {
                need -= counts[d];
                d--;
            }
            prefix |= (uint)d << shift;
            prefixMask |= digitMask << shift;
        }
        // prefix holds the k-th best score's bits; `need` (at least 1) of the entries equal to it stay.
        if (_tieDocs.Length < count)
            _tieDocs = new int[count];
        var kept = 0;
        var ties = 0;
        for (var i = 0; i < count; i++)
        {
            var bits = BitConverter.SingleToUInt32Bits(_scores[i]);
            if (bits > prefix)
            {
                _scores[kept] = _scores[i];
                _docs[kept] = _docs[i];
                kept++;
            }
            else if (bits == prefix)
            {
                _tieDocs[ties++] = _docs[i];
            }
        }
        if (ties > need)
            Array.Sort(_tieDocs, 0, ties);
        var score = BitConverter.UInt32BitsToSingle(prefix);
        var barDoc = int.MinValue;
        for (var j = 0; j < need; j++)
        {
            _scores[kept] = score;
            _docs[kept++] = _tieDocs[j];
            barDoc = Math.Max(barDoc, _tieDocs[j]);
        }
        Count = _k;
        _hasBar = true;
        _barScore = score;
        _barDoc = barDoc;
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Better(_scores[parent], _docs[parent], _scores[i], _docs[i]))
                break;
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= Count)
                break;
            var worst = left;
            var right = left + 1;
            if (right < Count && Better(_scores[left], _docs[left], _scores[right], _docs[right]))
                worst = right;
            if (!Better(_scores[i], _docs[i], _scores[worst], _docs[worst]))
                break;
            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_docs[a], _docs[b]) = (_docs[b], _docs[a]);
    }
}
