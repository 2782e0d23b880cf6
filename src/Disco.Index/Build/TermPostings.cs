namespace Disco.Index;

/// <summary>One term's postings held in memory during the merge, for list-size pruning.</summary>
internal sealed class TermPostings
{
    private int[] _docs = new int[1024];
    private float[] _weights = new float[1024];
    private int _count;

    public void Clear() => _count = 0;

    public void Add(int doc, float weight)
    {
        if (_count == _docs.Length)
        {
            Array.Resize(ref _docs, _count * 2);
            Array.Resize(ref _weights, _count * 2);
        }
        _docs[_count] = doc;
        _weights[_count++] = weight;
    }

    /// <summary>
    /// Keeps the <paramref name="size"/> largest weights (ties: the earlier document), in document
    /// order; returns how many postings were removed.
    /// </summary>
    public int KeepLargest(int size)
    {
        if (_count <= size)
            return 0;
        // Sort keys: weight descending (positive float bits order like the floats), then document ascending.
        var keys = new ulong[_count];
        for (var i = 0; i < _count; i++)
            keys[i] = ((ulong)~BitConverter.SingleToUInt32Bits(_weights[i]) << 32) | (uint)i;
        Array.Sort(keys);
        var kept = new int[size];
        for (var i = 0; i < size; i++)
            kept[i] = (int)(uint)keys[i];
        Array.Sort(kept);
        for (var i = 0; i < size; i++)
        {
            _docs[i] = _docs[kept[i]];
            _weights[i] = _weights[kept[i]];
        }
        var removed = _count - size;
        _count = size;
        return removed;
    }

    public void WriteTo(PostingsWriter writer)
    {
        for (var i = 0; i < _count; i++)
            writer.Add(_docs[i], _weights[i]);
    }
}
