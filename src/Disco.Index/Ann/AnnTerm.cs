using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// A term's record in the approximate-search term table (docs/index-format.md, "Approximate
/// search"): where its head list and its segments start, how many of each, the quantization step
/// of its impacts, and its floor: the smallest impact its head list holds when the list was cut
/// (0 when the list holds all the term's postings).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal readonly struct AnnTerm
{
    public readonly long FirstHead;
    public readonly long FirstSegment;
    public readonly int Heads;
    public readonly int Segments;
    public readonly float Scale;
    public readonly float Floor;
}
