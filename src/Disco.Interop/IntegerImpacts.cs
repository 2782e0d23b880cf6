using Disco.Core;

namespace Disco.Interop;

/// <summary>
/// The integer impacts of other engines (Anserini, PISA, CIFF): <c>round(weight × scale)</c>,
/// rounding half to even in float32 as numpy's <c>rint</c> does in naver/splade's Anserini export.
/// Weights that round to 0 are dropped by the callers (Anserini's ×100 loses weights below 0.005).
/// </summary>
public static class IntegerImpacts
{
    /// <summary>The scale naver/splade and Anserini use for SPLADE weights.</summary>
    public const float DefaultScale = 100f;

    public static int Quantize(float weight, float scale)
    {
        var q = MathF.Round(weight * scale, MidpointRounding.ToEven);
        if (!(q <= int.MaxValue))
            throw new DiscoException($"weight {weight} × {scale} does not fit a 32-bit integer impact");
        return (int)q;
    }

    public static void CheckScale(float scale)
    {
        if (!(scale > 0) || !float.IsFinite(scale))
            throw new DiscoException($"the impact scale must be a positive number (got {scale})");
    }
}
