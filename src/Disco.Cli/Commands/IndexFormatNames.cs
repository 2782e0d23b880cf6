using Disco.Index;

namespace Disco.Cli.Commands;

/// <summary>CLI spellings of index options.</summary>
internal static class IndexFormatNames
{
    public static ImpactEncoding Parse(string name) => name switch
    {
        "float32" => ImpactEncoding.Exact,
        "uint16" => ImpactEncoding.Bits16,
        "uint8" => ImpactEncoding.Bits8,
        _ => throw new UsageException($"unknown --impacts {name} (float32, uint16, uint8)"),
    };

    public static SearchAlgorithm ParseAlgorithm(string name) => name switch
    {
        "taat" => SearchAlgorithm.TermAtATime,
        "maxscore" => SearchAlgorithm.MaxScore,
        "daat" => SearchAlgorithm.DocumentAtATime,
        _ => throw new UsageException($"unknown --algorithm {name} (taat, maxscore, daat)"),
    };
}
