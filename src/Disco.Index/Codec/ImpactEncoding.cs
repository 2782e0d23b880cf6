namespace Disco.Index;

/// <summary>How posting impacts (document term weights) are stored.</summary>
public enum ImpactEncoding
{
    /// <summary>Exact float32 weights, as SPLADE's reference index stores them.</summary>
    Exact,

    /// <summary>16-bit codes; impact = code * scale, scale = max weight / 65535.</summary>
    Bits16,

    /// <summary>8-bit codes; impact = code * scale, scale = max weight / 255.</summary>
    Bits8,
}
