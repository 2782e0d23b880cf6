using System.Runtime.CompilerServices;

namespace Disco.Index;

/// <summary>The probe of every search: observes nothing, costs nothing.</summary>
internal struct NoAnnProbe : IAnnProbe
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Begin(AnnStage stage)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Segment(int touching, int adding, int added)
    {
    }
}
