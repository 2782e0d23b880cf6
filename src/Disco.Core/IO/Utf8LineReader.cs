using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Disco.Core.IO;

/// <summary>
/// Reads a stream line by line as UTF-8 bytes, without decoding or allocating per line: the lines
/// are spans over one pooled buffer, valid until the next <see cref="MoveNext"/>. The rules are
/// <see cref="Utf8Lines"/>'s: strict UTF-8 (a sequence that is not UTF-8 is a
/// <see cref="DataFormatException"/> naming the file, line and byte offset), a leading byte order
/// mark dropped, lines ending at <c>\n</c>, <c>\r\n</c> or <c>\r</c>. A line longer than
/// <paramref name="maxLineBytes"/> is refused before the buffer grows past it.
/// </summary>
public sealed class Utf8LineReader(string path, Stream stream, int maxLineBytes = Utf8LineReader.DefaultMaxLineBytes) : IDisposable
{
    /// <summary>256 MiB: far above any real line (a 30K-term vector is under 1 MiB).</summary>
    public const int DefaultMaxLineBytes = 1 << 28;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _start;
    private int _end;
    private int _scanned;
    private long _bufferOffset;
    private bool _eof;

    /// <summary>The 1-based number of the line <see cref="MoveNext"/> returned last.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line (without its end), or false at the end of the stream.</summary>
    public bool MoveNext(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var at = pending[(_scanned - _start)..].IndexOfAny((byte)'\n', (byte)'\r');
            if (at >= 0)
            {
                at += _scanned - _start;
                // A '\r' at the end of the data read so far may be the first half of "\r\n".
                if (pending[at] == (byte)'\r' && at + 1 == pending.Length && !_eof)
                {
                    _scanned = _start + at;
                    Fill();
                    continue;
                }
                var skip = pending[at] == (byte)'\r' && at + 1 < pending.Length && pending[at + 1] == (byte)'\n' ? 2 : 1;
                line = Finish(_start, at);
                _start += at + skip;
                _scanned = _start;
                return true;
            }
            _scanned = _end;
            if (_eof)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }
                line = Finish(_start, pending.Length);
                _start = _end;
                _scanned = _end;
                return true;
            }
            Fill();
        }
    }

    public void Dispose()
    {
        stream.Dispose();
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private ReadOnlySpan<byte> Finish(int start, int length)
    {
        LineNumber++;
        if (length > maxLineBytes)
            throw new DataFormatException(path, LineNumber, $"line longer than {maxLineBytes} bytes");
        ReadOnlySpan<byte> line = _buffer.AsSpan(start, length);
        var dropped = 0;
        if (LineNumber == 1 && line.StartsWith(Encoding.UTF8.Preamble))
        {
            line = line[3..];
            dropped = 3;
        }
        if (!Utf8.IsValid(line))
            throw Invalid(line, _bufferOffset + start + dropped);
        return line;
    }

    private DataFormatException Invalid(ReadOnlySpan<byte> line, long lineOffset)
    {
        var at = 0;
        while (Rune.DecodeFromUtf8(line[at..], out _, out var consumed) == OperationStatus.Done)
            at += consumed;
        return new DataFormatException(path, LineNumber, $"invalid UTF-8 (byte 0x{line[at]:x2} at offset {lineOffset + at})");
    }

    /// <summary>Reads more: moves the pending line to the front, grows the buffer when the line fills it.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _bufferOffset += _start;
            _scanned -= _start;
            _start = 0;
            _end = pending;
        }
        if (_end >= maxLineBytes)
            throw new DataFormatException(path, LineNumber + 1, $"line longer than {maxLineBytes} bytes");
        if (_end == _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, maxLineBytes));
            _buffer.AsSpan(0, _end).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        _end += read;
    }
}
