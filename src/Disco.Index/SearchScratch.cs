using System.Numerics;

namespace Disco.Index;

/// <summary>Per-thread search state: range accumulator, cursors, top-k queue. Reused across queries.</summary>
internal sealed unsafe class SearchScratch
{
    private readonly SparseIndex _index;
    private readonly List<PostingCursor> _cursors = [];
    private readonly List<PostingCursor> _probes = [];

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

    /// <summary>One cursor per query term, positioned at the start of its postings.</summary>
    public PostingCursor[] Cursors(SearchQuery query)
    {
        if (Slots.Length < query.Count)
            Slots = new float[query.Count];
        return Reset(_cursors, query);
    }

    /// <summary>A second set of cursors, for exact re-scoring of candidates.</summary>
    public PostingCursor[] Probes(SearchQuery query) => Reset(_probes, query);

    private PostingCursor[] Reset(List<PostingCursor> pool, SearchQuery query)
    {
        while (pool.Count < query.Count)
            pool.Add(new PostingCursor(_index));
        var result = new PostingCursor[query.Count];
        for (var i = 0; i < query.Count; i++)
        {
            pool[i].Reset(query.Terms[i]);
            result[i] = pool[i];
        }
        return result;
    }
}
