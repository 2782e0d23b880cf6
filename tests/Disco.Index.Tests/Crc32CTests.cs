namespace Disco.Index.Tests;

public sealed class Crc32CTests
{
    [Fact]
    public void Matches_the_standard_check_value_and_a_bitwise_reference()
    {
        // The check value of CRC-32C for "123456789" (iSCSI, RFC 3720 appendix B.4).
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        var random = new Random(3);
        foreach (var length in new[] { 0, 1, 7, 8, 9, 63, 1000, 4099 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            var incremental = new Crc32C();
            var split = length / 3;
            incremental.Append(data.AsSpan(0, split));
            incremental.Append(data.AsSpan(split));
            Assert.Equal(Bitwise(data), Crc32C.Compute(data));
            Assert.Equal(Bitwise(data), incremental.Value);
        }
    }

    /// <summary>The textbook bit-at-a-time definition (reflected polynomial 0x82F63B78).</summary>
    internal static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
