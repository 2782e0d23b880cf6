namespace Disco.Index;

/// <summary>
/// Constants of the structures of approximate search (docs/index-format.md, "Approximate search"),
/// a section of an index with its own format name and version.
/// </summary>
internal static class AnnFormat
{
    public const string FormatName = "disco-ann";
    public const int Version = 1;

    /// <summary>Magics of the section's files (16-byte header as every index file, version = <see cref="Version"/>).</summary>
    public const string TermsMagic = "DSCATERM";
    public const string HeadsMagic = "DSCAHEAD";
    public const string ForwardMagic = "DSCAFWD_";
    public const string ForwardIndexMagic = "DSCAFWDX";

    /// <summary>The parts of the section, one file each.</summary>
    public static readonly string[] Parts = ["terms", "heads", "forward", "forwardIndex"];

    /// <summary>
    /// A head list is stored as four tiers by impact rank, each in document order: ranks
    /// [0, λ/8), [λ/8, λ/4), [λ/4, λ/2) and [λ/2, λ). A query reads a prefix of tiers per term,
    /// deeper for heavier terms, without sorting at query time.
    /// </summary>
    public const int Tiers = 4;

    /// <summary>How many of a term's highest-impact postings tiers 0..<paramref name="tier"/> hold, for head lists of <paramref name="listSize"/>.</summary>
    public static int TierCapacity(int listSize, int tier) => tier == Tiers - 1 ? listSize : listSize >> (Tiers - 1 - tier);

    public static string FileName(int generation, string part) => $"ann{generation}.{part}.bin";
}
