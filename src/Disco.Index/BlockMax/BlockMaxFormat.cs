namespace Disco.Index;

/// <summary>
/// Constants of the block-max section (docs/index-format.md, "Block-max section"), a section of an
/// index with its own format name and version.
/// </summary>
internal static class BlockMaxFormat
{
    public const string FormatName = "disco-blockmax";

    /// <summary>Version 2: dense rows carry per-block posting counts and per-group offsets (version 1: a rank table, entries located through their offsets).</summary>
    public const int Version = 2;

    /// <summary>The parts of the section, one file each, and their magics (16-byte header as every index file, version = <see cref="Version"/>).</summary>
    public static readonly (string Part, string Magic)[] Parts =
    [
        ("terms", "DSCBTERM"),
        ("blocks", "DSCBBLKS"),
        ("maxima", "DSCBMAXS"),
        ("entries", "DSCBENTR"),
        ("dense", "DSCBDENS"),
        ("counts", "DSCBCNTS"),
        ("groups", "DSCBGRPS"),
        ("postings", "DSCBPOST"),
    ];

    public static string Magic(string part) => Parts.First(p => p.Part == part).Magic;

    public static string FileName(int generation, string part) => $"bmax{generation}.{part}.bin";

    /// <summary>Files of the section start with this (an interrupted build's leftovers are found by it).</summary>
    public const string FilePattern = "bmax*.bin";
}
