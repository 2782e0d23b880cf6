using Disco.Index;

namespace Disco.Interop.Ciff;

/// <summary>
/// Options of a CIFF import. <paramref name="Vocabulary"/> (id → token) maps terms written as
/// decimal token ids to tokens; other terms are kept as they are. CIFF impacts are integers:
/// float32 (the default) stores them exactly; uint8 or uint16 store them as codes with scale 1
/// and refuse a value that does not fit.
/// </summary>
public sealed record CiffImportOptions(
    IReadOnlyList<string>? Vocabulary = null,
    ImpactEncoding Impacts = ImpactEncoding.Float32,
    int RangeBits = IndexBuildOptions.DefaultRangeBits);
