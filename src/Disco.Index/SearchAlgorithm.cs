namespace Disco.Index;

/// <summary>Exact top-k algorithms; all return identical rankings and scores.</summary>
public enum SearchAlgorithm
{
    /// <summary>
    /// Term-at-a-time over cache-sized document ranges: float32 accumulators for one range
    /// (default 64K documents, 256 KB, fits in L2), every query term's postings in the range
    /// added in canonical order, then the range is scanned into the top-k queue.
    /// </summary>
    TermAtATime,

    /// <summary>
    /// Document-at-a-time MaxScore with block-max bounds: terms whose summed upper bounds cannot
    /// beat the k-th score are only probed for candidates from the others, and a candidate is
    /// dropped as soon as its partial score plus the block maxima of the remaining terms cannot
    /// enter the top k.
    /// </summary>
    MaxScore,
}
