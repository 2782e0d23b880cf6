using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// One heavy query term's place in its head list during approximate search's gather: its next
/// segment and the end of its segments, its first head and the start of its next segment counted
/// from there, its contribution per quantized impact unit, the smallest quantized impact it reads,
/// and the smallest that may add a candidate. One struct per cursor, read through a pointer: as
/// seven arrays, each visit of a cursor reloaded seven array references from the stack and checked
/// seven bounds (session 10).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AnnCursor
{
    public long NextSegment;
    public long EndSegment;
    public long FirstHead;
    public int Position;
    public float Step;
    public int Threshold;
    public int TouchAt;
}
