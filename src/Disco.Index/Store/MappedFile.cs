using System.IO.MemoryMappedFiles;
using System.Text;
using Disco.Core;

namespace Disco.Index;

/// <summary>A read-only memory map of one index file, exposed as a raw pointer past its header.</summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;

    private readonly string _magic;
    private readonly uint _version;
    private readonly string _remedy;

    public MappedFile(string directory, string name, IndexFileInfo expected)
        : this(directory, name, expected, IndexFormat.Magics[name], IndexFormat.Version)
    {
    }

    /// <summary>
    /// Maps a file whose header carries <paramref name="magic"/> and <paramref name="version"/> (files
    /// of a section with its own version); <paramref name="remedy"/>: what a bad file asks the user to do.
    /// </summary>
    public MappedFile(string directory, string name, IndexFileInfo expected, string magic, int version, string remedy = "rebuild the index")
    {
        _magic = magic;
        _version = (uint)version;
        _remedy = remedy;
        Path = System.IO.Path.Combine(directory, name);
        // The length is taken from the open handle and the map is made from that same handle: a
        // concurrent swap may put another file at this path between two calls by path, and a map
        // of a shorter file than the length checked would fault on read (SparseIndex.Open only
        // detects the swap after the files are opened and checked).
        FileStream stream;
        try
        {
            stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DiscoException($"{Path}: index file missing; {remedy}");
        }
        long length;
        try
        {
            length = stream.Length;
            if (length != expected.Bytes)
                throw new DiscoException($"{Path}: {length} bytes, meta.json records {expected.Bytes}; the index is truncated or damaged, {remedy}");
            if (length < IndexFormat.HeaderBytes)
                throw new DiscoException($"{Path}: too short for a header; {remedy}");
            _map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
        Length = length;
        try
        {
            CheckHeader();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void CheckHeader()
    {
        var magic = Encoding.ASCII.GetString(_base, 8);
        if (magic != _magic)
            throw new DiscoException($"{Path}: wrong file header \"{magic}\" (expected \"{_magic}\"); {_remedy}");
        var version = *(uint*)(_base + 8);
        if (version != _version)
            throw new DiscoException($"{Path}: file format version {version} is not supported (this disco reads version {_version}); {_remedy}");
    }

    public string Path { get; }

    public long Length { get; }

    /// <summary>The first byte after the header.</summary>
    public byte* Data => _base + IndexFormat.HeaderBytes;

    public long DataLength => Length - IndexFormat.HeaderBytes;

    public ReadOnlySpan<byte> Span(long offset, int length) => new(_base + offset, length);

    /// <summary>CRC-32C of the whole file, read through the map.</summary>
    public uint Checksum()
    {
        var crc = new Crc32C();
        for (long at = 0; at < Length; at += 1 << 30)
            crc.Append(new ReadOnlySpan<byte>(_base + at, (int)Math.Min(1 << 30, Length - at)));
        return crc.Value;
    }

    public void Dispose()
    {
        if (_base != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _base = null;
        }
        _view.Dispose();
        _map.Dispose();
    }
}
