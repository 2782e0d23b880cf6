namespace Disco.Index;

/// <summary>
/// Options of an index build. <paramref name="SegmentPostings"/> bounds memory: postings are
/// buffered up to that many (about 20 bytes each while sorting) before a segment is flushed to disk.
/// <paramref name="RangeBits"/> sets the document range (2^bits documents) that blocks never cross
/// (docs/index-format.md); the default 16 is what search is tuned for.
/// </summary>
public sealed record IndexBuildOptions(
    ImpactEncoding Impacts = ImpactEncoding.Float32,
    long SegmentPostings = IndexBuildOptions.DefaultSegmentPostings,
    int RangeBits = IndexBuildOptions.DefaultRangeBits)
{
    public const long DefaultSegmentPostings = 8_000_000;
    public const int DefaultRangeBits = IndexFormat.DefaultRangeBits;

    /// <summary>Static pruning of documents and posting lists; null keeps every posting.</summary>
    public StaticPruning? Pruning { get; init; }

    /// <summary>Document numbering; <see cref="DocumentOrder.Clustered"/> reorders before writing postings.</summary>
    public DocumentOrder Order { get; init; } = DocumentOrder.Input;

    /// <summary>Also write the structures of approximate search (docs/index-format.md, "Approximate search"); null: none.</summary>
    public AnnBuildOptions? Ann { get; init; }

    /// <summary>Also write the block-max section (docs/index-format.md, "Block-max section"); null: none.</summary>
    public BlockMaxBuildOptions? BlockMax { get; init; }
}
