namespace Disco.Index;

/// <summary>
/// Quantized impacts (docs/index-format.md, "Impacts"): the one place where a weight becomes a code
/// and a code becomes the float32 impact that every reader, writer and bound uses.
/// </summary>
internal static class ImpactCodec
{
    /// <summary>Decodes a stored code exactly as every reader does: <c>code × scale</c> in float32.</summary>
    public static float Decode(int code, float scale) => code * scale;

    /// <summary>Quantizes a positive weight; never to 0, so every posting keeps a non-zero impact.</summary>
    public static int Quantize(float weight, float scale, int maxCode) => Math.Clamp((int)MathF.Round(weight / scale), 1, maxCode);
}
