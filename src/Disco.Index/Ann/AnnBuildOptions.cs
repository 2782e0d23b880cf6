namespace Disco.Index;

/// <summary>
/// Options of the approximate-search structures (docs/index-format.md, "Approximate search").
/// <paramref name="ListSize"/>: how many of each term's postings, those of largest impact, its head
/// list keeps (Seismic's λ); longer lists find more of the exact top k for the same budget and
/// cost more per query and on disk.
/// </summary>
public sealed record AnnBuildOptions(int ListSize = AnnBuildOptions.DefaultListSize)
{
    public const int DefaultListSize = 2000;

    public int ListSize { get; init; } = ListSize >= 1
        ? ListSize
        : throw new ArgumentOutOfRangeException(nameof(ListSize), ListSize, "keep at least one posting per term");
}
