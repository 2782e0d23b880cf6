namespace Disco.Index;

/// <summary>
/// A buffered output file that tracks its length and CRC-32C as it is written, so checksums
/// cost no second pass over multi-gigabyte postings; it also keeps the CRC-32C of every
/// <see cref="IndexIntegrity.ChunkBytes"/> chunk, which readers check on first touch.
/// </summary>
internal sealed class ChecksummedFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly Crc32C _crc = new();
    private readonly List<uint> _chunks = [];
    private Crc32C _chunk = new();
    private int _chunkFill;
    private int _used;
    private long _flushed;

    public ChecksummedFile(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1);
    }

    public string Path { get; }

    /// <summary>Bytes written so far, buffered ones included (the offset of the next byte).</summary>
    public long Length => _flushed + _used;

    public uint Checksum => _crc.Value;

    /// <summary>CRC-32C of each chunk of the file (the last one may be shorter); complete after <see cref="Complete"/>.</summary>
    public IReadOnlyList<uint> ChunkChecksums => _chunks;

    public void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var n = Math.Min(data.Length, _buffer.Length - _used);
            data[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            data = data[n..];
            if (_used == _buffer.Length)
                Drain();
        }
    }

    public void WriteInt32(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BitConverter.TryWriteBytes(b, value);
        Write(b);
    }

    public void WriteInt64(long value)
    {
        Span<byte> b = stackalloc byte[8];
        BitConverter.TryWriteBytes(b, value);
        Write(b);
    }

    public void WriteSingle(float value)
    {
        Span<byte> b = stackalloc byte[4];
        BitConverter.TryWriteBytes(b, value);
        Write(b);
    }

    /// <summary>Hands buffered bytes to the OS so that another handle can read them (no fsync).</summary>
    public void Flush() => Drain();

    /// <summary>Flushes to disk; the file is complete after this.</summary>
    public void Complete()
    {
        Drain();
        if (_chunkFill > 0)
        {
            _chunks.Add(_chunk.Value);
            _chunk = new Crc32C();
            _chunkFill = 0;
        }
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();

    private void Drain()
    {
        if (_used == 0)
            return;
        _crc.Append(_buffer.AsSpan(0, _used));
        for (var at = 0; at < _used;)
        {
            var n = Math.Min(_used - at, IndexIntegrity.ChunkBytes - _chunkFill);
            _chunk.Append(_buffer.AsSpan(at, n));
            _chunkFill += n;
            at += n;
            if (_chunkFill == IndexIntegrity.ChunkBytes)
            {
                _chunks.Add(_chunk.Value);
                _chunk = new Crc32C();
                _chunkFill = 0;
            }
        }
        _stream.Write(_buffer, 0, _used);
        _flushed += _used;
        _used = 0;
    }
}
