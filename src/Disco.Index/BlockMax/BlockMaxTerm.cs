using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// One term of the block-max section (docs/index-format.md, "Block-max section"): where its
/// postings start in the section's postings and their length in bytes, how many blocks it has
/// postings in, its dense row (or -1) or else where its rare entries (block, maximum, offset) start,
/// and the scale of its 8-bit maxima (a code c stands for at most <c>c × Scale</c>).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct BlockMaxTerm(long PostingStart, long FirstEntry, int Entries, int DenseRow, float Scale, uint PostingBytes);
