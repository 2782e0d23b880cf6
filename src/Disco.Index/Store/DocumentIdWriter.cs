using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Disco.Index;

/// <summary>
/// Streams <c>docids.bin</c> and <c>docoffsets.bin</c> and refuses a document id seen before,
/// naming both sources. Ids are checked through an open-addressing table of one 64-bit word per
/// slot (33 bits of the id's hash, 31 bits of the document number; 8 to 10 bytes per document),
/// so a 25.7M-document build needs about 270 MB rather than a set of strings several times that.
/// A hash match is confirmed by reading the earlier id back from the file being written.
/// </summary>
internal sealed class DocumentIdWriter : IDisposable
{
    private const double MaxLoad = 0.8;
    private const long MaxSlots = 1L << 30;
    private readonly ChecksummedFile _ids;
    private readonly ChecksummedFile _offsets;
    private readonly List<Source> _sources = [];
    private ulong[] _slots = new ulong[1 << 10];
    private SafeFileHandle? _idsReader;
    private SafeFileHandle? _offsetsReader;

    public DocumentIdWriter(string directory)
    {
        _ids = new ChecksummedFile(Path.Combine(directory, IndexFormat.DocIdsFile));
        _offsets = new ChecksummedFile(Path.Combine(directory, IndexFormat.DocOffsetsFile));
        _ids.Write(IndexFormat.Header(IndexFormat.DocIdsFile));
        _offsets.Write(IndexFormat.Header(IndexFormat.DocOffsetsFile));
        _offsets.WriteInt64(IndexFormat.HeaderBytes);
    }

    public int Count { get; private set; }

    public ChecksummedFile IdsFile => _ids;

    public ChecksummedFile OffsetsFile => _offsets;

    /// <summary>
    /// Starts a new source of documents (a file, an index); <paramref name="describe"/> turns a
    /// 0-based record number within the source into words for error messages (default "NAME record N").
    /// </summary>
    public void BeginSource(string name, Func<long, string>? describe = null) =>
        _sources.Add(new Source(Count, describe ?? (i => $"{name} record {i + 1}")));

    /// <summary>Appends a document id and returns its internal number.</summary>
    public int Add(string id)
    {
        var bytes = Encoding.UTF8.GetBytes(id);
        var hash = Hash(bytes);
        if ((long)Count + 1 > _slots.Length * MaxLoad)
            Grow();
        var slot = Insert(_slots, hash, Count, bytes);
        if (slot >= 0)
            throw new DuplicateDocumentIdException(id, Describe(slot), Describe(Count));
        _ids.Write(bytes);
        _offsets.WriteInt64(_ids.Length);
        return Count++;
    }

    /// <summary>The id of a document already added (read back from the file being written).</summary>
    public string IdOf(int doc) => Encoding.UTF8.GetString(ReadId(doc));

    /// <summary>Words for where document <paramref name="doc"/> came from.</summary>
    public string Describe(int doc)
    {
        for (var i = _sources.Count - 1; i >= 0; i--)
        {
            if (_sources[i].FirstDocument <= doc)
                return _sources[i].Describe(doc - _sources[i].FirstDocument);
        }
        return $"document {doc + 1}";
    }

    public void Complete()
    {
        _ids.Complete();
        _offsets.Complete();
        _slots = [];
    }

    public void Dispose()
    {
        _idsReader?.Dispose();
        _offsetsReader?.Dispose();
        _ids.Dispose();
        _offsets.Dispose();
    }

    /// <summary>Inserts document <paramref name="doc"/>; returns the earlier document with the same id, or -1.</summary>
    private int Insert(ulong[] slots, ulong hash, int doc, byte[]? bytes)
    {
        var mask = (ulong)slots.Length - 1;
        var tag = hash >> 31;
        var value = (tag << 31) | (uint)(doc + 1);
        for (var at = hash & mask; ; at = (at + 1) & mask)
        {
            var s = slots[at];
            if (s == 0)
            {
                slots[at] = value;
                return -1;
            }
            if (bytes is not null && (s >> 31) == tag)
            {
                var other = (int)(s & 0x7FFF_FFFF) - 1;
                if (ReadId(other).AsSpan().SequenceEqual(bytes))
                    return other;
            }
        }
    }

    /// <summary>Sizes the table for <paramref name="documents"/> ids up front, so no rehash is needed.</summary>
    public void Reserve(long documents)
    {
        if (documents > _slots.Length * MaxLoad)
            Rehash(TableSize(documents));
    }

    private static int TableSize(long documents)
    {
        var size = 1L << 10;
        while (documents > size * MaxLoad)
            size *= 2;
        if (size > MaxSlots)
            throw new Core.DiscoException($"too many documents for one index ({documents}; at most {(long)(MaxSlots * MaxLoad)})");
        return (int)size;
    }

    private void Grow() => Rehash(TableSize(Count + 1L));

    /// <summary>
    /// Slots keep only the top 33 bits of a hash, so a bigger table is filled again from the ids
    /// already written, read back sequentially (doubling keeps this O(1) per document amortized).
    /// </summary>
    private void Rehash(int size)
    {
        var bigger = new ulong[size];
        if (Count > 0)
        {
            _ids.Flush();
            _offsets.Flush();
            using var offsets = new BinaryReader(new BufferedStream(new FileStream(_offsets.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1), 1 << 16));
            using var ids = new BufferedStream(new FileStream(_ids.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1), 1 << 16);
            offsets.BaseStream.Position = IndexFormat.HeaderBytes;
            ids.Position = IndexFormat.HeaderBytes;
            var start = offsets.ReadInt64();
            var buffer = new byte[256];
            for (var doc = 0; doc < Count; doc++)
            {
                var end = offsets.ReadInt64();
                var length = checked((int)(end - start));
                if (buffer.Length < length)
                    buffer = new byte[Math.Max(length, buffer.Length * 2)];
                ids.ReadExactly(buffer, 0, length);
                Insert(bigger, Hash(buffer.AsSpan(0, length)), doc, null);
                start = end;
            }
        }
        _slots = bigger;
    }

    private byte[] ReadId(int doc)
    {
        _ids.Flush();
        _offsets.Flush();
        _idsReader ??= File.OpenHandle(_ids.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        _offsetsReader ??= File.OpenHandle(_offsets.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> pair = stackalloc byte[16];
        RandomAccess.Read(_offsetsReader, pair, IndexFormat.HeaderBytes + 8L * doc);
        var start = BitConverter.ToInt64(pair);
        var end = BitConverter.ToInt64(pair[8..]);
        var bytes = new byte[end - start];
        RandomAccess.Read(_idsReader, bytes, start);
        return bytes;
    }

    /// <summary>FNV-1a over the UTF-8 bytes, finished with a SplitMix64 mix so every bit depends on every byte; never 0.</summary>
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var h = 14695981039346656037UL;
        foreach (var b in bytes)
            h = (h ^ b) * 1099511628211UL;
        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return h;
    }

    private sealed record Source(int FirstDocument, Func<long, string> Describe);
}
