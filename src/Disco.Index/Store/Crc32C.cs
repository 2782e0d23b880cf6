using System.Buffers.Binary;
using System.Numerics;

namespace Disco.Index;

/// <summary>
/// CRC-32C (Castagnoli), the checksum recorded for every index file, kept incrementally so a file
/// is checksummed as it is written. The steps are <see cref="BitOperations.Crc32C(uint, ulong)"/>,
/// which uses the SSE4.2/ARM CRC instruction where present (several GB/s) and a table otherwise;
/// this type adds the initial value and final xor of the standard checksum.
/// </summary>
internal sealed class Crc32C
{
    private uint _state = 0xFFFFFFFFu;

    public uint Value => ~_state;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _state;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data)
            crc = BitOperations.Crc32C(crc, b);
        _state = crc;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32C();
        crc.Append(data);
        return crc.Value;
    }
}
