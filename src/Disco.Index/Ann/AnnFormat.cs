namespace Disco.Index;

/// <summary>
/// Constants of the structures of approximate search (docs/index-format.md, "Approximate search"),
/// a section of an index with its own format name and version.
/// </summary>
internal static class AnnFormat
{
    public const string FormatName = "disco-ann";

    /// <summary>Version 2: head lists cut into ranges of 2^16 documents, impact-ordered within each range, 4-byte postings (version 1: four impact tiers of 8-byte postings).</summary>
    public const int Version = 2;

    /// <summary>The parts of the section, one file each, in the order of the checksums part, and their magics (16-byte header as every index file, version = <see cref="Version"/>).</summary>
    public static readonly (string Part, string Magic)[] Parts =
    [
        ("terms", "DSCATERM"),
        ("segments", "DSCASEGS"),
        ("heads", "DSCAHEAD"),
        ("forward", "DSCAFWD_"),
        ("forwardIndex", "DSCAFWDX"),
    ];

    public static string Magic(string part) => Parts.First(p => p.Part == part).Magic;

    /// <summary>
    /// A head list is cut into segments, one per range of 2^<see cref="RangeBits"/> documents that
    /// it has postings in; a posting stores its document's offset in the range (16 bits) and its
    /// impact quantized to 16 bits. Within a segment postings go by decreasing impact, so a query
    /// reads each segment down to a contribution threshold and stops.
    /// </summary>
    public const int RangeBits = 16;

    /// <summary>The largest quantized impact of a head posting (the term's largest impact).</summary>
    public const int MaxQuantized = ushort.MaxValue;

    public static string FileName(int generation, string part) => $"ann{generation}.{part}.bin";
}
