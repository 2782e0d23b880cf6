using Disco.Core;

namespace Disco.Index;

/// <summary>The one table of impact-encoding names, used by meta.json, the CLI and benchmarks.</summary>
public static class ImpactEncodingNames
{
    private static readonly NameTable<ImpactEncoding> Table = new(
    [
        (ImpactEncoding.Float32, "float32"),
        (ImpactEncoding.UInt16, "uint16"),
        (ImpactEncoding.UInt8, "uint8"),
    ]);

    /// <summary>The accepted names, for help texts and error messages ("float32, uint16, uint8").</summary>
    public static string Choices { get; } = string.Join(", ", Table.Names);

    public static string Name(ImpactEncoding encoding) => Table.Name(encoding);

    /// <summary>The encoding called <paramref name="name"/> (exact, lowercase), or null.</summary>
    public static ImpactEncoding? Parse(string? name) => Table.Parse(name);
}
