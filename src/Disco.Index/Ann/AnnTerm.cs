using System.Runtime.InteropServices;

namespace Disco.Index;

/// <summary>
/// A term's record in the approximate-search term table: where its head list starts, and where
/// each of its four impact tiers ends (cumulative counts; docs/index-format.md, "Approximate search").
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal readonly struct AnnTerm
{
    public readonly long FirstHead;
    public readonly int Tier0End;
    public readonly int Tier1End;
    public readonly int Tier2End;
    public readonly int Heads;

    /// <summary>The end of tier <paramref name="tier"/> (0-3), counted from <see cref="FirstHead"/>.</summary>
    public int TierEnd(int tier) => tier switch
    {
        0 => Tier0End,
        1 => Tier1End,
        2 => Tier2End,
        _ => Heads,
    };
}
