using Disco.Index;

namespace Disco.Cli.Commands;

/// <summary>CLI spellings of index options.</summary>
internal static class IndexFormatNames
{
    public static ImpactEncoding Parse(string name) =>
        ImpactEncodingNames.Parse(name) ?? throw new UsageException($"unknown --impacts {name} ({ImpactEncodingNames.Choices})");

    public static SearchAlgorithm ParseAlgorithm(string name) =>
        SearchAlgorithmNames.Parse(name) ?? throw new UsageException($"unknown --algorithm {name} ({SearchAlgorithmNames.Choices})");
}
