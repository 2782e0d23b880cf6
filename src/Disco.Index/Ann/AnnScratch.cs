namespace Disco.Index;

/// <summary>Per-thread state of approximate search, sized for one index and reused across queries.</summary>
internal sealed class AnnScratch
{
    public AnnScratch(AnnIndex ann, int termCount)
    {
        // With 16-bit term ids in the forward index every id indexes this table, so no check is needed.
        Weights = GC.AllocateArray<float>(ann.TermBytes == 2 ? 1 << 16 : termCount, pinned: true);
        Accumulator = GC.AllocateArray<float>(1 << CandidateSearch.RangeBits, pinned: true);
    }

    /// <summary>Query weight by term id (0 for other terms); cleared after each query.</summary>
    public float[] Weights { get; }


    /// <summary>Partial scores of one range of documents.</summary>
    public float[] Accumulator { get; }

    /// <summary>Documents that got a partial score, and their scores (parallel arrays).</summary>
    public int[] TouchedDocs { get; private set; } = [];

    public float[] TouchedScores { get; private set; } = [];

    /// <summary>Query positions, heaviest first.</summary>
    public int[] Heavy { get; private set; } = [];

    /// <summary>Per cursor (a tier of a heavy term's head list): its next and end head, and the term's weight.</summary>
    public long[] Next { get; private set; } = [];

    public long[] End { get; private set; } = [];

    public float[] CursorWeights { get; private set; } = [];

    /// <summary>Room for <paramref name="postings"/> touched documents (at most one per head posting read).</summary>
    public void EnsureTouched(long postings)
    {
        if (TouchedDocs.Length < postings)
        {
            TouchedDocs = new int[checked((int)Math.Max(postings, TouchedDocs.Length * 2L))];
            TouchedScores = new float[TouchedDocs.Length];
        }
    }

    public void Prepare(int terms)
    {
        if (Heavy.Length < terms)
        {
            Heavy = new int[terms];
            Next = new long[terms * AnnFormat.Tiers];
            End = new long[terms * AnnFormat.Tiers];
            CursorWeights = new float[terms * AnnFormat.Tiers];
        }
    }
}
