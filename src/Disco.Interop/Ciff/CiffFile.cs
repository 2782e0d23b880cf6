using Disco.Core;
using Google.Protobuf;

namespace Disco.Interop.Ciff;

/// <summary>
/// Reads a CIFF file as a sequence of varint-length-delimited protobuf messages (Header,
/// PostingsList..., DocRecord...). Each message is read whole into a reused buffer (after its
/// length is checked against what is left of the file, so a damaged length never allocates more
/// than the file holds) and parsed there with Google.Protobuf; memory is bounded by the largest
/// message, one posting list.
/// </summary>
internal sealed class CiffFile : IDisposable
{
    private readonly FileStream _file;
    private readonly BufferedStream _stream;
    private byte[] _buffer = new byte[1 << 16];

    public CiffFile(string path)
    {
        Path = path;
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        _stream = new BufferedStream(_file, 1 << 20);
        Length = _file.Length;
    }

    public string Path { get; }

    public long Length { get; }

    public long Position => _stream.Position;

    public bool AtEnd => _stream.Position >= Length;

    /// <summary>Reads the next message; <paramref name="what"/> names it in errors ("postings list 12").</summary>
    public CodedInputStream Next(string what)
    {
        var at = _stream.Position;
        if (at >= Length)
            throw Error($"ends before {what}");
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = _stream.ReadByte();
            if (b < 0)
                throw Error($"cut in the length of {what} (byte {at})");
            if (shift == 63 && b > 1)
                throw Error($"bad length of {what} (byte {at})");
            length |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                break;
        }
        if (length > (ulong)(Length - _stream.Position))
            throw Error($"cut in the middle of {what}: it needs {length} bytes from byte {_stream.Position}, the file has {Length - _stream.Position} left");
        if (length > int.MaxValue)
            throw Error($"{what} is larger than 2 GB");
        var n = (int)length;
        if (_buffer.Length < n)
            _buffer = new byte[Math.Max(n, Math.Min(_buffer.Length * 2L, Array.MaxLength))];
        _stream.ReadExactly(_buffer, 0, n);
        return new CodedInputStream(_buffer, 0, n);
    }

    public DataFormatException Error(string problem) => new(Path, 0, problem);

    public void Dispose()
    {
        _stream.Dispose();
        _file.Dispose();
    }
}
