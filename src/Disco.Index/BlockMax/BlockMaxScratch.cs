namespace Disco.Index;

/// <summary>Per-thread state of block-max search, sized for one <see cref="BlockMaxIndex"/> and reused across queries.</summary>
internal sealed class BlockMaxScratch
{
    private float[] _heap = [];

    public BlockMaxScratch(BlockMaxIndex index, int chunkBlocks)
    {
        Index = index;
        Bounds = GC.AllocateArray<float>(index.PaddedBlocks + 8, pinned: true);
        Blocks = GC.AllocateArray<int>(index.PaddedBlocks + 8, pinned: true);
        Accumulator = GC.AllocateArray<float>((chunkBlocks << index.BlockBits) + 8, pinned: true);
    }

    private int[] _candidates = [];

    /// <summary>Blocks above a sampled cut (selection of the top blocks).</summary>
    public int[] Candidates(int blocks)
    {
        if (_candidates.Length < blocks + 8)
            _candidates = GC.AllocateArray<int>(blocks + 8, pinned: true);
        return _candidates;
    }

    public BlockMaxIndex Index { get; }

    /// <summary>Upper bound of every block's scores for the current query.</summary>
    public float[] Bounds { get; }

    /// <summary>Blocks to score.</summary>
    public int[] Blocks { get; }

    /// <summary>Scores of the documents of the blocks being scored (one slot of 2^bits per block).</summary>
    public float[] Accumulator { get; }

    /// <summary>The query's dense rows and their scales (query weight × code scale).</summary>
    public nint[] Rows { get; private set; } = [];

    public float[] RowScales { get; private set; } = [];

    public void Prepare(int terms)
    {
        if (Rows.Length < terms)
        {
            Rows = new nint[terms];
            RowScales = new float[terms];
        }
    }

    /// <summary>The (term, block) entries of the blocks being scored: postings count and start, block slot, query weight.</summary>
    public int[] EntryCounts { get; private set; } = [];

    public long[] EntryStarts { get; private set; } = [];

    public int[] EntrySlots { get; private set; } = [];

    public float[] EntryWeights { get; private set; } = [];

    public void PrepareEntries(int n)
    {
        if (EntryCounts.Length < n)
        {
            EntryCounts = new int[n];
            EntryStarts = new long[n];
            EntrySlots = new int[n];
            EntryWeights = new float[n];
        }
    }

    public float[] HeapScores(int m)
    {
        if (_heap.Length < m)
            _heap = new float[m];
        return _heap;
    }
}
