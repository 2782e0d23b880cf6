using System.IO.MemoryMappedFiles;

namespace Disco.Index;

/// <summary>
/// A temporary file of whole documents (id, term ids, weights) written while a reordered index is
/// built: the documents are numbered only once all have arrived, then replayed in the new order.
/// Record: <c>[int32 idBytes][UTF-8 id][int32 n][int32 term × n][float32 weight × n]</c>, padded to 4
/// bytes. Internal to a build; read through a memory map so the OS, not the heap, holds it.
/// </summary>
internal sealed unsafe class ForwardFile : IDisposable
{
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly List<long> _offsets = [];
    private byte[] _buffer = new byte[1 << 12];
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _base;
    private long _length;

    public ForwardFile(string path)
    {
        _path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);
    }

    public int Count => _offsets.Count;

    public void Write(ReadOnlySpan<byte> id, ReadOnlySpan<int> terms, ReadOnlySpan<float> weights)
    {
        var bytes = 8 + ((id.Length + 3) & ~3) + (terms.Length * 8);
        if (_buffer.Length < bytes)
            _buffer = new byte[Math.Max(bytes, _buffer.Length * 2)];
        var span = _buffer.AsSpan(0, bytes);
        span.Clear();
        BitConverter.TryWriteBytes(span, id.Length);
        id.CopyTo(span[4..]);
        var at = 4 + ((id.Length + 3) & ~3);
        BitConverter.TryWriteBytes(span[at..], terms.Length);
        at += 4;
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(terms).CopyTo(span[at..]);
        at += terms.Length * 4;
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights).CopyTo(span[at..]);
        _offsets.Add(_length);
        _stream.Write(span);
        _length += bytes;
    }

    /// <summary>Ends writing and maps the file for reading.</summary>
    public void Seal()
    {
        _stream.Flush();
        if (_length == 0)
            return;
        _map = MemoryMappedFile.CreateFromFile(_stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, _length, MemoryMappedFileAccess.Read);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
    }

    public ReadOnlySpan<byte> Id(int doc)
    {
        var p = _base + _offsets[doc];
        return new ReadOnlySpan<byte>(p + 4, *(int*)p);
    }

    /// <summary>The term ids and weights of document <paramref name="doc"/> (input number).</summary>
    public void Vector(int doc, out ReadOnlySpan<int> terms, out ReadOnlySpan<float> weights)
    {
        var p = _base + _offsets[doc];
        p += 4 + ((*(int*)p + 3) & ~3);
        var n = *(int*)p;
        var t = (int*)(p + 4);
        terms = new ReadOnlySpan<int>(t, n);
        weights = new ReadOnlySpan<float>(t + n, n);
    }

    /// <summary>Unmaps and deletes the file; safe to call twice.</summary>
    public void Dispose()
    {
        if (_base != null)
        {
            _view!.SafeMemoryMappedViewHandle.ReleasePointer();
            _base = null;
        }
        _view?.Dispose();
        _map?.Dispose();
        _stream.Dispose();
        if (File.Exists(_path))
            File.Delete(_path);
    }
}
