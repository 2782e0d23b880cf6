using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>One 16-byte record of blocks.bin: the block's last document, largest impact and byte offset in postings.bin.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly struct BlockEntry
{
    public readonly int LastDoc;
    public readonly float MaxImpact;
    public readonly long Offset;
}
