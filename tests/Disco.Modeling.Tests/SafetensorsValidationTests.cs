using System.Buffers.Binary;
using System.Text;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

/// <summary>
/// Crafted safetensors files: every header the reference reader would refuse (and a few it would
/// read as the wrong weights) is a one-line error naming the file, never weights and never a crash.
/// </summary>
public sealed class SafetensorsValidationTests
{
    // Two float32 tensors: a [2, 2] (16 bytes) then b [3] (12 bytes).
    private static readonly byte[] Data = [.. new float[] { 1, 2, 3, 4, 5, 6, 7 }.SelectMany(BitConverter.GetBytes)];

    private const string Valid = """{"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [3], "data_offsets": [16, 28]}}""";

    private static string Write(TempDirectory dir, string header, byte[]? data = null, ulong? declaredLength = null)
        => WriteBytes(dir, Encoding.UTF8.GetBytes(header), data, declaredLength);

    private static string WriteBytes(TempDirectory dir, byte[] header, byte[]? data = null, ulong? declaredLength = null)
    {
        var path = dir.File("model.safetensors");
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, declaredLength ?? (ulong)header.Length);
        File.WriteAllBytes(path, [.. length, .. header, .. data ?? Data]);
        return path;
    }

    [Fact]
    public void AValidFileReadsItsTensors()
    {
        using var dir = new TempDirectory();
        var tensors = SafetensorsFile.Read(Write(dir, Valid));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, tensors["a"].data<float>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, tensors["a"].shape);
        Assert.Equal(new float[] { 5, 6, 7 }, tensors["b"].data<float>().ToArray());
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    [Theory]
    [InlineData("b\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [16, 28]", "b\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [-12, 0]", "\"data_offsets\" must be two non-negative integers")]
    [InlineData("[16, 28]", "[12, 24]", "tensor 'b' (bytes 12..24) overlaps the tensor before it, which ends at 16")]
    [InlineData("[0, 16]}, \"b\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [16, 28]", "[0, 16]}, \"b\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 12]", "overlaps the tensor before it")]
    [InlineData("\"shape\": [3], \"data_offsets\": [16, 28]", "\"shape\": [2], \"data_offsets\": [20, 28]", "tensor 'b' starts at byte 20 but the tensor before it ends at 16")]
    [InlineData("\"shape\": [3], \"data_offsets\": [16, 28]", "\"shape\": [2], \"data_offsets\": [16, 24]", "4 bytes after the last tensor belong to no tensor")]
    [InlineData("\"shape\": [3], \"data_offsets\": [16, 28]", "\"shape\": [4], \"data_offsets\": [16, 32]", "truncated file: the tensors need 32 bytes of data but the file holds only 28")]
    [InlineData("\"shape\": [3], \"data_offsets\": [16, 28]", "\"shape\": [3], \"data_offsets\": [28, 16]", "end before they begin")]
    [InlineData("\"shape\": [3]", "\"shape\": [4]", "F32 [4] takes 16 bytes but its data_offsets span 12")]
    [InlineData("\"shape\": [3]", "\"shape\": [-1, -3]", "\"shape\" must hold non-negative integers")]
    [InlineData("\"shape\": [3]", "\"shape\": [\"3\"]", "\"shape\" must hold non-negative integers")]
    [InlineData("\"shape\": [3]", "\"shape\": [3.0]", "\"shape\" must hold non-negative integers")]
    [InlineData("\"shape\": [3]", "\"shape\": [4611686018427387904, 4611686018427387904]", "shape [4611686018427387904, 4611686018427387904] is too large")]
    [InlineData("\"shape\": [3]", "\"shape\": 3", "\"shape\" must be an array")]
    [InlineData("\"dtype\": \"F32\", \"shape\": [3]", "\"dtype\": 32, \"shape\": [3]", "\"dtype\" must be a string")]
    [InlineData("\"dtype\": \"F32\", \"shape\": [3]", "\"dtype\": \"F8_E4M3\", \"shape\": [3]", "unsupported dtype F8_E4M3")]
    [InlineData("\"data_offsets\": [16, 28]", "\"data_offsets\": [16, 28, 40]", "\"data_offsets\" must be two non-negative integers")]
    [InlineData("\"data_offsets\": [16, 28]", "\"data_offsets\": [16, \"28\"]", "\"data_offsets\" must be two non-negative integers")]
    [InlineData("\"b\": {", "\"a\": {", "Duplicate property 'a'")]
    [InlineData("{\"format\": \"pt\"}", "{\"format\": 1}", "__metadata__ must be an object of strings")]
    [InlineData("\"b\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [16, 28]}", "\"b\": [1, 2]", "tensor 'b': header entry is not an object")]
    public void CraftedHeadersAreRefused(string from, string to, string expected)
    {
        using var dir = new TempDirectory();
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        var path = Write(dir, Valid.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.ThrowsAny<DiscoException>(() => SafetensorsFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MalformedHeaderBytesAreRefused()
    {
        using var dir = new TempDirectory();
        void Refused(string expected, Func<string> write)
        {
            var path = write();
            var e = Assert.ThrowsAny<DiscoException>(() => SafetensorsFile.Read(path));
            Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        var bytes = Encoding.UTF8.GetBytes(Valid.Replace("\"b\"", "\"\u00e9\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)0xC3)] = 0xFF;
        Refused("invalid UTF-8 (byte 0xff", () => WriteBytes(dir, bytes));
        Refused("does not start with '{'", () => Write(dir, "[" + Valid + "]"));
        Refused("does not start with '{'", () => WriteBytes(dir, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Valid)]));
        Refused("invalid JSON", () => Write(dir, Valid + "{}"));
        Refused("invalid JSON", () => Write(dir, Valid[..^10]));
        Refused("header length 18446744073709551615 but the file has", () => Write(dir, Valid, declaredLength: ulong.MaxValue));
        Refused("truncated", () => Write(dir, Valid, declaredLength: 4096));
        Refused("truncated safetensors file", () =>
        {
            File.WriteAllBytes(dir.File("model.safetensors"), [1, 2, 3]);
            return dir.File("model.safetensors");
        });
    }

    [Fact]
    public void HeaderPaddingAndZeroSizedTensorsAreAccepted()
    {
        using var dir = new TempDirectory();
        var header = Valid.Replace("}}", "}, \"empty\": {\"dtype\": \"F32\", \"shape\": [0, 4], \"data_offsets\": [28, 28]}}", StringComparison.Ordinal) + "      ";
        var tensors = SafetensorsFile.Read(Write(dir, header));
        Assert.Equal(new long[] { 0, 4 }, tensors["empty"].shape);
        Assert.Equal(3, tensors.Count);
        foreach (var t in tensors.Values)
            t.Dispose();
    }

    [Fact]
    public void NegativeBeginOffsetsNoLongerLoadAsWeights()
    {
        // The case the issue reports: a tensor whose offsets point before the data section read
        // header bytes as weights. A whole checkpoint with one such tensor must not load.
        using var dir = new TempDirectory();
        CheckpointCopies.CopyDirectory(Fixtures.TinySplade, dir.Path);
        var path = dir.File("model.safetensors");
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var marker = "\"data_offsets\":[0,";
        var at = header.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at > 0, header[..200]);
        var forged = Encoding.UTF8.GetBytes(header[..at] + "\"data_offsets\":[-8," + header[(at + marker.Length)..]);
        var rewritten = new byte[8 + forged.Length + (bytes.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(rewritten, (ulong)forged.Length);
        forged.CopyTo(rewritten, 8);
        bytes.AsSpan(8 + headerLength).CopyTo(rewritten.AsSpan(8 + forged.Length));
        File.WriteAllBytes(path, rewritten);
        var e = Assert.ThrowsAny<DiscoException>(() => HfCheckpoint.Load(dir.Path, out _, null));
        Assert.Contains("\"data_offsets\" must be two non-negative integers", e.Message, StringComparison.Ordinal);
    }
}
