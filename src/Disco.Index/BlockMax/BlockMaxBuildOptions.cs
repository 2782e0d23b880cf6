namespace Disco.Index;

/// <summary>
/// Options of the block-max section (docs/index-format.md, "Block-max section").
/// <paramref name="BlockBits"/>: a block holds 2^BlockBits consecutive documents (default 64).
/// Smaller blocks give tighter bounds (fewer postings scored) and more blocks to bound per query.
/// </summary>
public sealed record BlockMaxBuildOptions(int BlockBits = BlockMaxBuildOptions.DefaultBlockBits)
{
    public const int DefaultBlockBits = 6;

    public const int DefaultDenseDivisor = 32;

    /// <summary>
    /// A term gets a dense row of maxima and counts (about 2 bytes per block of the collection) when
    /// it has postings in at least 1/DenseDivisor of the blocks; other terms list their entries (9
    /// bytes each). Rows make the bounds a vector loop and locate a block's postings without a
    /// search: faster, and larger for terms in fewer than about a quarter of the blocks
    /// (docs/benchmarks.md). 1 gives rows only to terms in every block.
    /// </summary>
    public int DenseDivisor { get; init; } = DefaultDenseDivisor;

    /// <summary>
    /// The most bytes the section may take on disk (null: no limit but the disk's free space).
    /// When the rule of <see cref="DenseDivisor"/> gives a larger section, the dense rows of the
    /// terms in fewest blocks are dropped (their entries listed instead) until it fits, or else the
    /// smallest section is built (rows for the terms in most blocks, as many as make it smallest;
    /// with a small DenseDivisor, more rows than the rule gives); the build refuses, with that
    /// smallest size, when even that does not fit. The postings alone
    /// take 5 bytes per posting of the index.
    /// </summary>
    public long? MaxBytes { get; init; }

    /// <summary>Throws when <see cref="DenseDivisor"/> or <see cref="MaxBytes"/> is out of range.</summary>
    internal void Validate()
    {
        if (DenseDivisor < 1)
            throw new ArgumentOutOfRangeException(nameof(DenseDivisor), DenseDivisor, "at least 1");
        if (MaxBytes is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "a positive number of bytes");
    }

    /// <summary>A document's offset in its block, and a block's postings count in a dense row, are stored in one byte.</summary>
    public const int MaxBlockBits = 7;

    public int BlockBits { get; init; } = BlockBits is >= 0 and <= MaxBlockBits
        ? BlockBits
        : throw new ArgumentOutOfRangeException(nameof(BlockBits), BlockBits, $"blocks of 2^0 to 2^{MaxBlockBits} documents");
}
