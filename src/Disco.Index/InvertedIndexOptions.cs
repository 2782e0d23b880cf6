namespace Disco.Index;

/// <summary>
/// Options of an <see cref="InvertedIndexWriter"/>. Quantized impacts need their
/// <paramref name="Scale"/> up front (impact = code × Scale), since lists are written as they
/// come; Scale 1 stores integer impacts (CIFF's) exactly. <paramref name="RefuseClamping"/>
/// turns a weight that would exceed the largest code into an error instead of clamping it.
/// </summary>
public sealed record InvertedIndexOptions(
    ImpactEncoding Impacts = ImpactEncoding.Float32,
    float? Scale = null,
    int RangeBits = IndexBuildOptions.DefaultRangeBits,
    bool RefuseClamping = true);
