namespace Disco.Modeling;

/// <summary>
/// One tensor of a safetensors header, validated: a known dtype, a shape whose byte size equals
/// <c>End - Begin</c>, and offsets (relative to the data section) that tile the data section with
/// the other tensors' offsets.
/// </summary>
public sealed record SafetensorsTensorInfo(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}
