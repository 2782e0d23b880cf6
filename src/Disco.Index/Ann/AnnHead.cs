using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>One posting of a term's head list: a document and the term's (decoded) impact in it.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly struct AnnHead
{
    public readonly int Doc;
    public readonly float Impact;
}
