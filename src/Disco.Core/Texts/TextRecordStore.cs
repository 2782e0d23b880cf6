using System.Buffers;
using System.Text;
using Disco.Core.IO;
using Microsoft.Win32.SafeHandles;

namespace Disco.Core.Texts;

/// <summary>
/// Random access to the texts of a collection file (TSV or JSONL, as <see cref="TextRecordFile"/>
/// reads them) by document id, without holding the texts: opening scans the file once and keeps
/// 16 bytes per record (a 64-bit hash of the id and the line's byte offset); a lookup reads and
/// parses that one line. Thread-safe; the file must not change while the store is open (a file
/// replaced by rename is fine: the store keeps reading the one it opened).
/// </summary>
public sealed class TextRecordStore : IDisposable
{
    private const int ChunkBytes = 1 << 20;
    private readonly SafeFileHandle _file;
    private readonly Entry[] _entries;
    private readonly bool _jsonl;

    private TextRecordStore(string path, SafeFileHandle file, Entry[] entries, bool jsonl)
    {
        Path = path;
        _file = file;
        _entries = entries;
        _jsonl = jsonl;
    }

    public string Path { get; }

    /// <summary>Records in the file (blank lines are not records).</summary>
    public int Count => _entries.Length;

    /// <summary>Scans <paramref name="path"/>; <paramref name="progress"/> gets the bytes read so far.</summary>
    public static TextRecordStore Open(string path, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        var jsonl = TextRecordFile.LooksLikeJsonl(path);
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            var entries = Scan(path, file, jsonl, progress);
            return new TextRecordStore(path, file, entries, jsonl);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The record with id <paramref name="id"/>; the first in the file when the id repeats; null when absent.</summary>
    public TextRecord? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = Hash(id);
        var lo = 0;
        var hi = _entries.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_entries[mid].Hash < hash)
                lo = mid + 1;
            else
                hi = mid;
        }
        // Equal hashes are ordered by offset, so the first id match is the first in the file.
        for (var i = lo; i < _entries.Length && _entries[i].Hash == hash; i++)
        {
            var record = Parse(ReadLine(_entries[i].Offset), _entries[i].Offset);
            if (record.Id == id)
                return record;
        }
        return null;
    }

    public void Dispose() => _file.Dispose();

    private static Entry[] Scan(string path, SafeFileHandle file, bool jsonl, IProgress<long>? progress)
    {
        var entries = new List<Entry>();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var line = new ArrayBufferWriter<byte>();
        try
        {
            long position = 0;
            long lineStart = 0;
            long lineNo = 0;
            int read;
            while ((read = RandomAccess.Read(file, buffer.AsSpan(0, ChunkBytes), position)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                var at = 0;
                while (true)
                {
                    var newline = chunk[at..].IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        line.Write(chunk[at..]);
                        break;
                    }
                    line.Write(chunk.Slice(at, newline));
                    AddLine(entries, line.WrittenSpan, lineStart, ++lineNo, path, jsonl);
                    line.ResetWrittenCount();
                    at += newline + 1;
                    lineStart = position + at;
                }
                position += read;
                progress?.Report(position);
            }
            if (line.WrittenCount > 0)
                AddLine(entries, line.WrittenSpan, lineStart, ++lineNo, path, jsonl);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var sorted = entries.ToArray();
        Array.Sort(sorted, static (a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : a.Offset.CompareTo(b.Offset));
        return sorted;
    }

    private static void AddLine(List<Entry> entries, ReadOnlySpan<byte> bytes, long offset, long lineNo, string path, bool jsonl)
    {
        var text = Decode(bytes, offset);
        if (string.IsNullOrWhiteSpace(text))
            return;
        var record = jsonl ? ParseJson(text, path, lineNo) : TextRecordFile.ParseTsvLine(text, path, lineNo);
        entries.Add(new Entry(Hash(record.Id), offset));
    }

    private TextRecord Parse(string line, long offset) => _jsonl
        ? ParseJson(line, Path, 0)
        : TextRecordFile.ParseTsvLine(line, Path, 0);

    private static TextRecord ParseJson(string line, string path, long lineNo)
    {
        using var document = JsonLines.ParseLine(line, path, lineNo);
        return TextRecordFile.ParseRecord(document.RootElement, path, lineNo);
    }

    /// <summary>The line starting at <paramref name="offset"/>, without its line break.</summary>
    private string ReadLine(long offset)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var filled = 0;
            while (true)
            {
                var read = RandomAccess.Read(_file, buffer.AsSpan(filled), offset + filled);
                var newline = buffer.AsSpan(filled, read).IndexOf((byte)'\n');
                if (newline >= 0)
                    return Decode(buffer.AsSpan(0, filled + newline), offset);
                filled += read;
                if (read == 0)
                    return Decode(buffer.AsSpan(0, filled), offset);
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A line as File.ReadLines gives it: without a trailing '\r', and without the file's byte order mark.</summary>
    private static string Decode(ReadOnlySpan<byte> bytes, long offset)
    {
        if (offset == 0 && bytes.StartsWith(Encoding.UTF8.Preamble))
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        return Encoding.UTF8.GetString(bytes.EndsWith((byte)'\r') ? bytes[..^1] : bytes);
    }

    /// <summary>FNV-1a over the id's UTF-16 code units: fixed across runs, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static ulong Hash(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }

    private readonly record struct Entry(ulong Hash, long Offset);
}
