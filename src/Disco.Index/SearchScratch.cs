using System.Numerics;

namespace Disco.Index;

/// <summary>Per-thread search state: range accumulator, cursors, top-k queue. Reused across queries.</summary>
internal sealed unsafe class SearchScratch
{
    private readonly SparseIndex _index;
    private readonly List<PostingCursor> _cursors = [];

    public SearchScratch(SparseIndex index, int rangeSize)
    {
        _index = index;
        RangeSize = rangeSize;
        // Vector-aligned length so the range scan needs no scalar tail.
        Accumulator = GC.AllocateArray<float>(rangeSize + Vector<float>.Count, pinned: true);
    }

    public int RangeSize { get; }

    public float[] Accumulator { get; }

    public TopKQueue Queue { get; } = new();

    public float[] Slots { get; private set; } = [];

    public PostingCursor[] Cursors(SearchQuery query)
    {
        while (_cursors.Count < query.Count)
            _cursors.Add(new PostingCursor(_index));
        if (Slots.Length < query.Count)
            Slots = new float[query.Count];
        var result = new PostingCursor[query.Count];
        for (var i = 0; i < query.Count; i++)
        {
            _cursors[i].Reset(query.Terms[i]);
            result[i] = _cursors[i];
        }
        return result;
    }
}
