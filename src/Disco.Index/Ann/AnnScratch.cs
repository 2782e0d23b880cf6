using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>Per-thread state of approximate search, sized for one index and reused across queries.</summary>
internal sealed class AnnScratch
{
    public AnnScratch(AnnIndex ann, int termCount)
    {
        // With 16-bit term ids in the forward index every id indexes this table, so no check is needed.
        Weights = GC.AllocateArray<float>(ann.TermBytes == 2 ? 1 << 16 : termCount, pinned: true);
        Accumulator = GC.AllocateArray<float>(1 << AnnFormat.RangeBits, pinned: true);
    }

    /// <summary>Query weight by term id (0 for other terms); cleared after each query.</summary>
    public float[] Weights { get; }

    /// <summary>Partial scores of one range of documents.</summary>
    public float[] Accumulator { get; }

    /// <summary>Documents touched by a posting that may add a candidate, and their partial scores (parallel arrays).</summary>
    public int[] TouchedDocs { get; private set; } = [];

    public float[] TouchedScores { get; private set; } = [];

    /// <summary>How many partial scores fall in each bucket of <see cref="ScoreSelection"/>, counted as the ranges are flushed.</summary>
    public int[] Buckets { get; } = GC.AllocateArray<int>(ScoreSelection.Buckets, pinned: true);

    /// <summary>The highest bucket a partial score of this query can reach (where the choice's cut-off scan starts).</summary>
    public int TopBucket { get; set; }

    /// <summary>Candidates above the cut-off as (score, ~document) keys, sorted to keep the budget best.</summary>
    public ulong[] Keys { get; private set; } = [];

    private float[] _products = GC.AllocateArray<float>(1024, pinned: true);

    /// <summary>
    /// Re-scoring's list of a record's non-zero products, in term order, with room for at least
    /// <paramref name="length"/> (pinned: the pointer stays valid until the next larger request).
    /// </summary>
    public unsafe float* Products(int length) => Pinned(ref _products, length);

    private int[] _hits = GC.AllocateArray<int>(1024, pinned: true);

    /// <summary>
    /// Re-scoring's list of a record's positions that pass the query's term filter, with room for
    /// at least <paramref name="length"/> (pinned, as <see cref="Products"/>).
    /// </summary>
    public unsafe int* Hits(int length) => Pinned(ref _hits, length);

    /// <summary>A pinned array's first element, grown (doubling, pinned) to at least <paramref name="length"/>.</summary>
    private static unsafe T* Pinned<T>(ref T[] array, int length)
        where T : unmanaged
    {
        if (array.Length < length)
            array = GC.AllocateArray<T>(Math.Max(length, array.Length * 2), pinned: true);
        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
    }

    /// <summary>The chosen documents.</summary>
    public int[] Chosen { get; private set; } = [];

    /// <summary>Room for <paramref name="keys"/> keys and <paramref name="chosen"/> chosen documents.</summary>
    public void EnsureChoice(int keys, int chosen)
    {
        if (Keys.Length < keys)
            Keys = new ulong[Math.Max(keys, Keys.Length * 2)];
        if (Chosen.Length < chosen)
            Chosen = new int[chosen];
    }

    /// <summary>
    /// A segment's smaller postings whose documents are touched, whole (offset in the low 16 bits,
    /// quantized impact in the high 16), with room for a vector store of eight past the last.
    /// </summary>
    public uint[] Updates { get; private set; } = [];

    /// <summary>Query positions, heaviest first.</summary>
    public int[] Heavy { get; private set; } = [];

    /// <summary>One per heavy term with postings above the query's threshold (pinned: read through a pointer).</summary>
    public AnnCursor[] Cursors { get; private set; } = [];

    /// <summary>Room for <paramref name="postings"/> touched documents (at most one per head posting read).</summary>
    public void EnsureTouched(long postings)
    {
        if (TouchedDocs.Length < postings)
        {
            TouchedDocs = new int[checked((int)Math.Max(postings, TouchedDocs.Length * 2L))];
            TouchedScores = new float[TouchedDocs.Length];
            Updates = new uint[TouchedDocs.Length + 8];
        }
    }

    public void Prepare(int terms)
    {
        if (Heavy.Length < terms)
        {
            Heavy = new int[terms];
            Cursors = GC.AllocateArray<AnnCursor>(terms, pinned: true);
        }
    }
}
