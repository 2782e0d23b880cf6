namespace Disco.Index.Tests;

/// <summary>The exact algorithms an index supports: block-max search needs the index's block-max section.</summary>
internal static class ExactAlgorithms
{
    public static IEnumerable<SearchAlgorithm> Of(SparseIndex index) =>
        Enum.GetValues<SearchAlgorithm>().Where(a => a != SearchAlgorithm.BlockMax || index.HasBlockMax);
}
