namespace Disco.Index;

/// <summary>Exact top-k algorithms; all return identical rankings and scores. Names: <see cref="SearchAlgorithmNames"/>.</summary>
public enum SearchAlgorithm
{
    /// <summary>
    /// MaxScore over cache-sized document ranges: query terms are ordered by upper
    /// bound (query weight × largest impact); the terms whose bounds together cannot beat the
    /// current k-th score are "non-essential" and their postings are never scanned. Essential
    /// terms are accumulated term-at-a-time into the range's accumulator, and only documents whose
    /// partial score plus the non-essential bound can enter the top k are scored exactly.
    /// </summary>
    MaxScore,

    /// <summary>
    /// Exhaustive term-at-a-time over cache-sized document ranges: float32 accumulators for one
    /// range (64K documents, 256 KB, fits in L2), every query term's postings in the range added
    /// in canonical order, then the range is scanned into the top-k queue. What
    /// <see cref="Auto"/> chooses without a block-max section or for deep k.
    /// </summary>
    TermAtATime,

    /// <summary>
    /// Document-at-a-time MaxScore with block-max bounds (as in PISA): candidates come from the
    /// essential terms' cursors, and a candidate is dropped as soon as its partial score plus the
    /// block maxima of the remaining terms cannot enter the top k. Per-document overhead makes it
    /// slower than the range algorithms on SPLADE-like queries with many long posting lists.
    /// </summary>
    DocumentAtATime,

    /// <summary>
    /// Safe block-max pruning over blocks of consecutive documents (BMP): an upper bound per block
    /// from 8-bit per-block term maxima; the blocks of highest bound are scored first, then every
    /// block whose bound can still reach the k-th score. Needs the index's block-max section;
    /// fast on reordered indexes, where a block holds similar documents.
    /// </summary>
    BlockMax,

    /// <summary>
    /// The fastest exact algorithm for the index and k, as measured (docs/benchmarks.md):
    /// <see cref="BlockMax"/> when the index has its block-max section, its blocks hold similar
    /// documents (<see cref="IndexSearcher.AutoUsesBlockMax"/>) and k is at most
    /// <see cref="IndexSearcher.BlockMaxDepth"/>, else <see cref="TermAtATime"/>. The default
    /// (<see cref="IndexSearcher.DefaultAlgorithm"/>).
    /// </summary>
    Auto,
}
