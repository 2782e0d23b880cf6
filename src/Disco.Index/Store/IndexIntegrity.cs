using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Corruption detection by default (docs/index-format.md, "Integrity"). The small files are
/// checked in full when an index opens; the large ones (postings.bin, docids.bin) carry a CRC-32C
/// per 64 KB chunk in checksums.bin and each chunk is checked the first time anything reads it
/// (<see cref="ChunkVerifier"/>), so no search ever uses bytes that were not checked, and opening
/// a 20 GB index reads none of its postings.
/// </summary>
internal static class IndexIntegrity
{
    public const int Version = 1;
    public const int ChunkShift = 16;
    public const int ChunkBytes = 1 << ChunkShift;
    public const string ChecksumsFile = "checksums.bin";
    public const string Magic = "DSCCHKSM";

    /// <summary>The files that get chunk checksums: the large ones, read piecemeal by searches.</summary>
    public static readonly IReadOnlyList<string> ChunkedFiles = [IndexFormat.PostingsFile, IndexFormat.DocIdsFile];

    /// <summary>Records a written file's size and checksum in meta.json, and keeps its chunk checksums for <see cref="WriteChecksums"/>.</summary>
    public static void Record(IndexMetadata meta, ChecksummedFile file)
    {
        var name = Path.GetFileName(file.Path);
        meta.Files[name] = new IndexFileInfo(file.Length, Hex(file.Checksum));
        if (ChunkedFiles.Contains(name))
            meta.PendingChunks[name] = file.ChunkChecksums;
    }

    public static string Hex(uint crc) => crc.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Writes checksums.bin into <paramref name="directory"/> when every chunked file was recorded, and describes it in meta.json.</summary>
    public static void WriteChecksums(string directory, IndexMetadata meta)
    {
        if (!ChunkedFiles.All(meta.PendingChunks.ContainsKey))
            return;
        using (var file = new ChecksummedFile(Path.Combine(directory, ChecksumsFile)))
        {
            file.Write(IndexFormat.Header(Magic, Version));
            foreach (var name in ChunkedFiles)
            {
                foreach (var crc in meta.PendingChunks[name])
                    file.WriteInt32(unchecked((int)crc));
            }
            file.Complete();
            meta.Files[ChecksumsFile] = new IndexFileInfo(file.Length, Hex(file.Checksum));
        }
        meta.Integrity = new IntegrityMetadata { Files = [.. ChunkedFiles] };
    }

    /// <summary>
    /// Reads checksums.bin (already verified against meta.json) into one verifier per chunked
    /// file, keyed by name; refuses a section or file this reader does not understand.
    /// </summary>
    public static Dictionary<string, uint[]> ReadChecksums(string directory, IndexMetadata meta, byte[] bytes) =>
        ParseChunks(Path.Combine(directory, ChecksumsFile), bytes, Magic, Version, meta.Integrity!.Files.Select(name => (name, meta.Files[name].Bytes)));

    /// <summary>
    /// Splits a file of chunk checksums (a 16-byte header with <paramref name="magic"/> and
    /// <paramref name="version"/>, then the CRC-32C of every chunk of each file in turn) into one
    /// array per file, keyed as given; refuses a header it does not know and a wrong length, saying
    /// what to do (<paramref name="remedy"/>, as for a file that does not match meta.json: the file
    /// matched it, so it was written wrong, and rebuilding is the cure either way).
    /// </summary>
    public static Dictionary<string, uint[]> ParseChunks(string path, ReadOnlySpan<byte> span, string magic, int version, IEnumerable<(string Key, long Bytes)> files, string remedy = "rebuild the index")
    {
        if (span.Length < IndexFormat.HeaderBytes || Encoding.ASCII.GetString(span[..8]) != magic)
            throw new DiscoException($"{path}: wrong file header; the file is damaged, {remedy}");
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) != version)
            throw new DiscoException($"{path}: file format version {BinaryPrimitives.ReadUInt32LittleEndian(span[8..])} is not supported (this disco reads version {version}); {remedy}");
        var result = new Dictionary<string, uint[]>(StringComparer.Ordinal);
        var pos = IndexFormat.HeaderBytes;
        foreach (var (key, length) in files)
        {
            var count = (length + ChunkBytes - 1) / ChunkBytes;
            if (pos + (count * 4) > span.Length)
                throw new DiscoException($"{path}: holds too few chunk checksums for {key}; the file is damaged, {remedy}");
            var crcs = new uint[count];
            for (var i = 0; i < count; i++, pos += 4)
                crcs[i] = BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]);
            result[key] = crcs;
        }
        if (pos != span.Length)
            throw new DiscoException($"{path}: {span.Length - pos} bytes more than the chunk checksums of {string.Join(", ", result.Keys)}; the file is damaged, {remedy}");
        return result;
    }

    /// <summary>Reads a small index file whole and checks its size and CRC-32C against meta.json (<paramref name="remedy"/>: what to do when they differ).</summary>
    public static byte[] ReadVerified(string path, IndexFileInfo expected, string remedy = "rebuild the index")
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: index file missing");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != expected.Bytes)
            throw new DiscoException($"{path}: {bytes.Length} bytes, meta.json records {expected.Bytes}; the index is truncated or damaged, {remedy}");
        SparseIndex.Verify(path, Crc32C.Compute(bytes), expected, remedy);
        return bytes;
    }
}
