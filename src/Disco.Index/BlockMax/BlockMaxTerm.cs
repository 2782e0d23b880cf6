using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// One term of the block-max section (docs/index-format.md, "Block-max section"): where its
/// (block, maximum, postings) entries start, how many blocks it has postings in, its dense maxima
/// row (or -1), and the scale of its 8-bit maxima (a code c stands for at most <c>c × Scale</c>).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct BlockMaxTerm(long FirstPair, int Pairs, int DenseRow, float Scale, int Reserved);
