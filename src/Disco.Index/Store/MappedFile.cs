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

    public MappedFile(string directory, string name, IndexFileInfo expected)
    {
        Path = System.IO.Path.Combine(directory, name);
        if (!File.Exists(Path))
            throw new DiscoException($"{Path}: index file missing");
        var length = new FileInfo(Path).Length;
        if (length != expected.Bytes)
            throw new DiscoException($"{Path}: {length} bytes, meta.json records {expected.Bytes}; the index is truncated or damaged, rebuild it");
        if (length < IndexFormat.HeaderBytes)
            throw new DiscoException($"{Path}: too short for a header; rebuild the index");
        _map = MemoryMappedFile.CreateFromFile(Path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
        Length = length;
        try
        {
            CheckHeader(name);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void CheckHeader(string name)
    {
        var magic = Encoding.ASCII.GetString(_base, 8);
        if (magic != IndexFormat.Magics[name])
            throw new DiscoException($"{Path}: wrong file header \"{magic}\" (expected \"{IndexFormat.Magics[name]}\")");
        var version = *(uint*)(_base + 8);
        if (version != IndexFormat.Version)
            throw new DiscoException($"{Path}: file format version {version} is not supported (this disco reads version {IndexFormat.Version})");
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
