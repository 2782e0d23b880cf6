using System.Runtime.CompilerServices;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Checks the chunks of one memory-mapped file against their CRC-32C the first time they are
/// read, and remembers which ones passed in a bitmap, so a chunk costs one CRC (about 5 µs for
/// 64 KB) once per open index and one bit test per read afterwards. Thread-safe: two searches
/// may check the same chunk at once, which is harmless; bits are only ever set.
/// </summary>
internal sealed unsafe class ChunkVerifier
{
    private readonly byte* _base;
    private readonly long _length;
    private readonly uint[] _checksums;
    private readonly ulong[] _verified;
    private readonly string _path;
    private readonly string _source;
    private readonly string _remedy;

    /// <param name="fileBase">The first byte of the file (chunk offsets count from the file start, header included).</param>
    /// <param name="source">The file the chunk checksums come from (named in errors).</param>
    /// <param name="remedy">What a damaged chunk asks the user to do.</param>
    public ChunkVerifier(byte* fileBase, long length, uint[] checksums, string path, string source = IndexIntegrity.ChecksumsFile, string remedy = "rebuild the index")
    {
        _base = fileBase;
        _length = length;
        _checksums = checksums;
        _path = path;
        _source = source;
        _remedy = remedy;
        // One bit past the last chunk always has a word: an empty range at the file's end tests it.
        _verified = new ulong[(checksums.Length / 64) + 1];
        if (checksums.LongLength != (length + IndexIntegrity.ChunkBytes - 1) / IndexIntegrity.ChunkBytes)
            throw new DiscoException($"{path}: {source} holds {checksums.Length} chunk checksums for a {length}-byte file; the file is damaged, {remedy}");
    }

    /// <summary>A verifier for a file checked in full some other way: every chunk counts as checked.</summary>
    public static ChunkVerifier AllVerified(byte* fileBase, long length, string path)
    {
        var chunks = (length + IndexIntegrity.ChunkBytes - 1) / IndexIntegrity.ChunkBytes;
        var verifier = new ChunkVerifier(fileBase, length, new uint[chunks], path);
        verifier.MarkAllVerified();
        return verifier;
    }

    /// <summary>After a full-file checksum matched, no chunk needs checking again.</summary>
    public void MarkAllVerified()
    {
        // The file's chunks only: a bit past them would let a range beyond the file pass.
        for (var chunk = 0; chunk < _checksums.Length; chunk++)
            _verified[chunk >> 6] |= 1UL << chunk;
    }

    /// <summary>
    /// Checks the chunks holding bytes <c>[offset, end)</c> of the file unless they already passed;
    /// throws when one does not match, or when the range is not one of the file (a reader's offsets
    /// came from a file that passed its checksums yet was written wrong). An empty range
    /// (<c>end == offset</c>) checks at most the chunk before it, which is harmless.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(long offset, long end)
    {
        if ((ulong)offset > (ulong)end || (ulong)end > (ulong)_length)
            OutsideTheFile(offset, end);
        var first = offset >> IndexIntegrity.ChunkShift;
        var last = (end - 1) >> IndexIntegrity.ChunkShift;
        // A block or document id is far smaller than a chunk: it lies in one chunk, rarely two.
        // Longer ranges (a section's dense row or head list) take the loop, which tests every
        // chunk's bit: their ends may have passed with their neighbours while the middle has not.
        if (IsVerified(first) && (first == last || (last == first + 1 && IsVerified(last))))
            return;
        Verify(first, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsVerified(long chunk) => (Volatile.Read(ref _verified[chunk >> 6]) & (1UL << (int)(chunk & 63))) != 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OutsideTheFile(long offset, long end) =>
        throw new DiscoException($"{_path}: bytes {offset}..{end} are not a range of its {_length} bytes; the file is damaged, {_remedy}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Verify(long first, long last)
    {
        for (var chunk = first; chunk <= last; chunk++)
        {
            if (IsVerified(chunk))
                continue;
            var start = chunk << IndexIntegrity.ChunkShift;
            var bytes = (int)Math.Min(IndexIntegrity.ChunkBytes, _length - start);
            var actual = Crc32C.Compute(new ReadOnlySpan<byte>(_base + start, bytes));
            if (actual != _checksums[chunk])
            {
                throw new DiscoException(
                    $"{_path}: bytes {start}..{start + bytes} have checksum {IndexIntegrity.Hex(actual)}, {_source} records {IndexIntegrity.Hex(_checksums[chunk])}; the file is corrupted, {_remedy}");
            }
            Interlocked.Or(ref _verified[chunk >> 6], 1UL << (int)(chunk & 63));
        }
    }
}
