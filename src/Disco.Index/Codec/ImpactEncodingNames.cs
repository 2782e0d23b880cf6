namespace Disco.Index;

/// <summary>The one table of impact-encoding names, used by meta.json, the CLI and benchmarks.</summary>
public static class ImpactEncodingNames
{
    private static readonly (ImpactEncoding Encoding, string Name)[] Table =
    [
        (ImpactEncoding.Float32, "float32"),
        (ImpactEncoding.UInt16, "uint16"),
        (ImpactEncoding.UInt8, "uint8"),
    ];

    /// <summary>The accepted names, for help texts and error messages ("float32, uint16, uint8").</summary>
    public static string Choices { get; } = string.Join(", ", Table.Select(e => e.Name));

    public static string Name(ImpactEncoding encoding)
    {
        foreach (var (e, name) in Table)
        {
            if (e == encoding)
                return name;
        }
        throw new ArgumentOutOfRangeException(nameof(encoding));
    }

    /// <summary>The encoding called <paramref name="name"/> (exact, lowercase), or null.</summary>
    public static ImpactEncoding? Parse(string? name)
    {
        foreach (var (e, n) in Table)
        {
            if (n == name)
                return e;
        }
        return null;
    }
}
