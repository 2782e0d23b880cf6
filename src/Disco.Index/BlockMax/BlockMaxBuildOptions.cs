namespace Disco.Index;

/// <summary>
/// Options of the block-max section (docs/index-format.md, "Block-max section").
/// <paramref name="BlockBits"/>: a block holds 2^BlockBits consecutive documents (default 64).
/// Smaller blocks give tighter bounds (fewer postings scored) and more blocks to bound per query.
/// </summary>
public sealed record BlockMaxBuildOptions(int BlockBits = BlockMaxBuildOptions.DefaultBlockBits)
{
    public const int DefaultBlockBits = 6;

    /// <summary>A document's offset in its block, and a block's postings count in a dense row, are stored in one byte.</summary>
    public const int MaxBlockBits = 7;

    public int BlockBits { get; init; } = BlockBits is >= 0 and <= MaxBlockBits
        ? BlockBits
        : throw new ArgumentOutOfRangeException(nameof(BlockBits), BlockBits, $"blocks of 2^0 to 2^{MaxBlockBits} documents");
}
