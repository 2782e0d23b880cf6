namespace Disco.Index;

/// <summary>
/// How posting impacts (document term weights) are stored. The user-facing names ("float32",
/// "uint16", "uint8", in meta.json and on the command line) come from <see cref="ImpactEncodingNames"/>.
/// </summary>
// CA1720 (identifier contains a type name) is off here on purpose: the members are named after
// the stored number types, which are also the encodings' names in meta.json and on the command line.
#pragma warning disable CA1720
public enum ImpactEncoding
{
    /// <summary>Exact float32 weights, as SPLADE's reference index stores them.</summary>
    Float32,

    /// <summary>16-bit codes; impact = code * scale, scale = max weight / 65535.</summary>
    UInt16,

    /// <summary>8-bit codes; impact = code * scale, scale = max weight / 255.</summary>
    UInt8,
}
#pragma warning restore CA1720
