using System.Runtime.InteropServices;
using Disco.Core;

namespace Disco.Index.Tests;

/// <summary>
/// <see cref="ChunkVerifier"/> at the edges of its file: an empty range at the file's end, and
/// ranges that do not lie in the file, which a reader with a wrong offset could hand it.
/// </summary>
public sealed unsafe class ChunkVerifierTests
{
    /// <summary>A file of <paramref name="chunks"/> whole chunks with its true chunk checksums.</summary>
    private static void WithFile(int chunks, Action<nint, long, uint[]> test)
    {
        var length = (long)chunks * IndexIntegrity.ChunkBytes;
        var data = (byte*)NativeMemory.Alloc((nuint)length);
        try
        {
            var random = new Random(3);
            random.NextBytes(new Span<byte>(data, (int)length));
            var checksums = new uint[chunks];
            for (var c = 0; c < chunks; c++)
                checksums[c] = Crc32C.Compute(new ReadOnlySpan<byte>(data + ((long)c * IndexIntegrity.ChunkBytes), IndexIntegrity.ChunkBytes));
            test((nint)data, length, checksums);
        }
        finally
        {
            NativeMemory.Free(data);
        }
    }

    [Fact]
    public void An_empty_range_at_the_end_of_a_file_of_64_chunks_checks_nothing_outside_it()
    {
        // 64 chunks (4 MiB): the chunk after the last one is the first bit of a word the bitmap
        // would not have. A term with no head postings at the end of the term table asks exactly this.
        WithFile(64, (data, length, checksums) =>
        {
            var verifier = new ChunkVerifier((byte*)data, length, checksums, "f.bin");
            verifier.Ensure(length, length);
            verifier.Ensure(length - 1, length);
            ChunkVerifier.AllVerified((byte*)data, length, "f.bin").Ensure(length, length);
        });
    }

    [Theory]
    [InlineData(70_000L, 10L)]
    [InlineData(-1L, 10L)]
    [InlineData(0L, (64L * 65536) + 1)]
    [InlineData(64L * 65536, (64L * 65536) + 70_000)]
    public void A_range_outside_the_file_or_reversed_is_refused_even_when_every_chunk_passed(long offset, long end)
    {
        WithFile(64, (data, length, checksums) =>
        {
            var verifier = new ChunkVerifier((byte*)data, length, checksums, "f.bin", "s.checksums.bin", "run it again");
            verifier.Ensure(0, length);
            foreach (var v in new[] { verifier, ChunkVerifier.AllVerified((byte*)data, length, "f.bin") })
            {
                var e = Assert.Throws<DiscoException>(() => v.Ensure(offset, end));
                Assert.StartsWith($"f.bin: bytes {offset}..{end} are not a range of its {length} bytes; ", e.Message, StringComparison.Ordinal);
            }
        });
    }
}
