using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// A segment of a term's head list: the range of 2^16 documents its postings fall in, and the end
/// of the segment counted in postings from the term's first head (its start is the previous
/// segment's end, or 0).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly struct AnnSegment
{
    public readonly int Range;
    public readonly int End;
}
