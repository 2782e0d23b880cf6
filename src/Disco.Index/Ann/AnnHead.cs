using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// One posting of a term's head list: its document's offset in the segment's range of 2^16
/// documents, and the term's impact in it quantized to 16 bits (impact ≈ <see cref="Impact"/> ×
/// the term's <see cref="AnnTerm.Scale"/>; at least 1, so a stored posting always counts).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
internal readonly struct AnnHead
{
    public readonly ushort Offset;
    public readonly ushort Impact;
}
