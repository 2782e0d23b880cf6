using System.Buffers;
using System.Globalization;
using System.Text;

namespace Disco.Core.Runs;

/// <summary>
/// Reads whitespace-separated TREC lines (runs and qrels) straight from UTF-8 bytes, so a run of
/// 100 million lines is parsed without building a string per line.
/// </summary>
internal sealed class TrecLineReader : IDisposable
{
    private const int MaxFields = 8;
    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _start;
    private int _end;
    private bool _eof;
    private readonly Range[] _fields = new Range[MaxFields];
    private byte[] _lastQidBytes = [];
    private string _lastQid = "";

    private readonly IProgress<long>? _progress;

    public TrecLineReader(string path, IProgress<long>? progress = null)
    {
        Path = path;
        _progress = progress;
        try
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiscoException($"{path}: cannot open ({e.Message})");
        }
    }

    public string Path { get; }

    /// <summary>1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Fields of the current line; more than <see cref="MaxFields"/> are counted but not kept.</summary>
    public int FieldCount { get; private set; }

    private ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    private int _lineStart;
    private int _lineLength;

    /// <summary>Moves to the next line that is neither blank nor a '#' comment (trec_eval 10 skips both).</summary>
    public bool MoveNext()
    {
        while (NextRawLine())
        {
            LineNumber++;
            Split();
            if (FieldCount == 0)
                continue;
            if (Line[_fields[0]][0] == (byte)'#')
                continue;
            return true;
        }
        return false;
    }

    public ReadOnlySpan<byte> Field(int index) => Line[_fields[index]];

    public string FieldString(int index) => Encoding.UTF8.GetString(Field(index));

    /// <summary>The query id of this line; consecutive lines usually share it, so the string is reused.</summary>
    public string QueryId(int index)
    {
        var bytes = Field(index);
        if (!bytes.SequenceEqual(_lastQidBytes))
        {
            _lastQidBytes = bytes.ToArray();
            _lastQid = Encoding.UTF8.GetString(bytes);
        }
        return _lastQid;
    }

    public double Double(int index, string what)
    {
        var text = Field(index);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            throw Error($"{what} '{Encoding.UTF8.GetString(text)}' is not a number");
        return value;
    }

    public int Int(int index, string what)
    {
        var text = Field(index);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error($"{what} '{Encoding.UTF8.GetString(text)}' is not an integer");
        return value;
    }

    public DataFormatException Error(string problem) => new(Path, LineNumber, problem);

    private void Split()
    {
        var line = Line;
        var count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSpace(line[i]))
                i++;
            if (i >= line.Length)
                break;
            var begin = i;
            while (i < line.Length && !IsSpace(line[i]))
                i++;
            if (count < MaxFields)
                _fields[count] = begin..i;
            count++;
        }
        FieldCount = count;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    private bool NextRawLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _lineStart = _start;
                _lineLength = newline;
                _start += newline + 1;
                return true;
            }
            if (_eof)
            {
                if (_start == _end)
                    return false;
                // Last line without a trailing newline.
                _lineStart = _start;
                _lineLength = _end - _start;
                _start = _end;
                return true;
            }
            Fill();
        }
    }

    private void Fill()
    {
        var pending = _end - _start;
        if (pending == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, _start, bigger, 0, pending);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        _start = 0;
        _end = pending;
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        _end += read;
        _progress?.Report(read);
    }

    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
