using Disco.Core;

namespace Disco.Index;

/// <summary>The one table of exact-search algorithm names (<c>--algorithm</c>, configuration files, benchmarks).</summary>
public static class SearchAlgorithmNames
{
    private static readonly NameTable<SearchAlgorithm> Table = new(
    [
        (SearchAlgorithm.Auto, "auto"),
        (SearchAlgorithm.TermAtATime, "taat"),
        (SearchAlgorithm.MaxScore, "maxscore"),
        (SearchAlgorithm.DocumentAtATime, "daat"),
        (SearchAlgorithm.BlockMax, "blockmax"),
    ]);

    /// <summary>The accepted names in table order.</summary>
    public static IReadOnlyList<string> Names => Table.Names;

    /// <summary>The accepted names, for help texts and error messages ("auto, taat, maxscore, daat, blockmax").</summary>
    public static string Choices { get; } = string.Join(", ", Table.Names);

    public static string Name(SearchAlgorithm algorithm) => Table.Name(algorithm);

    /// <summary>The algorithm called <paramref name="name"/> (exact, lowercase), or null.</summary>
    public static SearchAlgorithm? Parse(string? name) => Table.Parse(name);
}
