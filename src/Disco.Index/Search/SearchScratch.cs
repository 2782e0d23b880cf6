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
        // Room for the index's document range and MaxScore's ranges, padded so the range scan
        // (32 floats at a time) needs no scalar tail.
        Accumulator = GC.AllocateArray<float>(Math.Max(rangeSize, 1 << index.RangeBits) + 32, pinned: true);
    }

    public int RangeSize { get; }

    public float[] Accumulator { get; }

    /// <summary>Scratch for the cut-off of a range's scores (see <see cref="ScoreSelection"/>).</summary>
    public int[] Histogram { get; } = new int[ScoreSelection.HistogramLength];

    public TopKQueue Queue { get; } = new();

    public float[] Slots { get; private set; } = [];

    private int[] _blockNext = [];
    private int[] _blockEnd = [];
    private float[] _lookup = [];
    private AnnScratch? _ann;
    private BlockMaxScratch? _blockMax;

    /// <summary>State of block-max search for <paramref name="index"/> (created on first use).</summary>
    public BlockMaxScratch BlockMax(BlockMaxIndex index) =>
        _blockMax is { } s && ReferenceEquals(s.Index, index) ? s : _blockMax = new BlockMaxScratch(index, BlockMaxSearch.ChunkBlocks);

    /// <summary>State of approximate search (created on first use: only indexes with its structures need it).</summary>
    public AnnScratch Ann => _ann ??= new AnnScratch(_index.Ann!, _index.TermCount);

    /// <summary>Per query term: the next block to scan and the end of its blocks.</summary>
    public (int[] Next, int[] End) BlockCursors(int terms)
    {
        if (_blockNext.Length < terms)
        {
            _blockNext = new int[terms];
            _blockEnd = new int[terms];
        }
        return (_blockNext, _blockEnd);
    }

    /// <summary>
    /// For 8-bit impacts, 256 contributions per query term: entry <c>256 t + code</c> is
    /// <c>weight_t × (code × scale)</c>, computed exactly as the other algorithms compute it.
    /// </summary>
    public float[] ImpactLookup(SearchQuery query, float scale)
    {
        if (_lookup.Length < query.Count << 8)
            _lookup = new float[query.Count << 8];
        for (var t = 0; t < query.Count; t++)
        {
            for (var code = 0; code < 256; code++)
                _lookup[(t << 8) + code] = query.Weights[t] * ImpactCodec.Decode(code, scale);
        }
        return _lookup;
    }

    /// <summary>Empties the queue for a new query; false when there is nothing to search.</summary>
    public bool Begin(SearchQuery query, int k)
    {
        Queue.Reset(Math.Max(k, 0), query.Count);
        return query.Count > 0 && k > 0;
    }

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
