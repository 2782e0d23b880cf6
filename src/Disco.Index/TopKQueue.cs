namespace Disco.Index;

/// <summary>
/// The k best (score, doc) pairs seen so far, as a min-heap whose root is the worst kept hit.
/// Order: higher score first, then smaller document id (earlier in the collection). Only
/// positive scores enter, as in SPLADE (<c>acc &gt; threshold</c> with threshold 0).
/// </summary>
internal sealed class TopKQueue
{
    private float[] _scores = [];
    private int[] _docs = [];
    private int _k;

    public int Count { get; private set; }

    public int K => _k;

    /// <summary>
    /// A candidate must score above this to enter (the k-th score once full, else 0). Callers offer
    /// documents in increasing id order, so a tie with the k-th score never enters.
    /// </summary>
    public float Threshold => Count == _k ? _scores[0] : 0f;

    public void Reset(int k)
    {
        _k = k;
        Count = 0;
        if (_scores.Length < k)
        {
            _scores = new float[k];
            _docs = new int[k];
        }
    }

    /// <summary>Offers a hit; returns true when it entered.</summary>
    public bool Offer(int doc, float score)
    {
        if (_k == 0 || !(score > 0))
            return false;
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
        var hits = new IndexHit[Count];
        for (var i = 0; i < Count; i++)
            hits[i] = new IndexHit(_docs[i], _scores[i]);
        Array.Sort(hits, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc));
        return hits;
    }

    private static bool Better(float s1, int d1, float s2, int d2) => s1 > s2 || (s1 == s2 && d1 < d2);

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
