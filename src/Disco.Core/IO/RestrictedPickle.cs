using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Disco.Core.IO;

/// <summary>
/// Reads a Python pickle (protocols 0 to 5, optionally gzip-compressed, as SPLADE's
/// <c>*.pkl.gz</c> hard-negative scores <c>{qid: {docid: score}}</c>) that holds only dicts, lists,
/// ints, floats and strings, without running anything: a pickle is a program for Python's
/// unpickler, and a file downloaded with a dataset is untrusted. Only the opcodes that build those
/// values are understood; any other (GLOBAL, REDUCE, BUILD, INST, OBJ, NEWOBJ, STACK_GLOBAL,
/// persistent ids, tuples, bytes, None, booleans...) is refused with an error naming it and its
/// byte position, and the reader has no way to import or call anything, so refusing executes
/// nothing. Sizes are checked before allocation (strings at most <see cref="MaxStringBytes"/>, the
/// whole pickle at most <see cref="MaxPickleBytes"/> once decompressed). Values come back as
/// <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <c>List&lt;object&gt;</c> and
/// <c>Dictionary&lt;string, object&gt;</c> (int keys written in decimal); a memo reference to a
/// list or dict (a shared or cyclic container) is refused.
/// <para><see cref="PickleText"/> holds the decoding shared with interop's streaming reader of id lists.</para>
/// </summary>
public sealed class RestrictedPickle
{
    public const int MaxStringBytes = 16 << 20;
    public const long MaxPickleBytes = 8L << 30;

    private const byte Proto = 0x80, Frame = 0x95, Stop = (byte)'.', Mark = (byte)'(';
    private const byte EmptyList = (byte)']', ListOp = (byte)'l', Append = (byte)'a', Appends = (byte)'e';
    private const byte EmptyDict = (byte)'}', DictOp = (byte)'d', SetItem = (byte)'s', SetItems = (byte)'u';
    private const byte BinInt = (byte)'J', BinInt1 = (byte)'K', BinInt2 = (byte)'M', Long1 = 0x8a, Long4 = 0x8b, IntOp = (byte)'I', LongOp = (byte)'L';
    private const byte BinFloat = (byte)'G', FloatOp = (byte)'F';
    private const byte BinUnicode = (byte)'X', ShortBinUnicode = 0x8c, BinUnicode8 = 0x8d, UnicodeOp = (byte)'V';
    private const byte Memoize = 0x94, BinPut = (byte)'q', LongBinPut = (byte)'r', Put = (byte)'p';
    private const byte BinGet = (byte)'h', LongBinGet = (byte)'j', Get = (byte)'g';
    private const byte Global = (byte)'c', StackGlobal = 0x93;

    private static readonly object MarkObject = new();

    private readonly string _path;
    private readonly Stream _stream;
    private readonly List<object> _stack = [];
    private readonly List<object> _memo = [];
    private long _position;

    private RestrictedPickle(string path, Stream stream)
    {
        _path = path;
        _stream = stream;
    }

    /// <summary>Reads the value a pickle file holds (gzip-compressed when it starts with gzip's magic bytes).</summary>
    public static object Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        using var file = File.OpenRead(path);
        using var stream = IsGzip(file) ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : (Stream)new BufferedStream(file, 1 << 16);
        try
        {
            return new RestrictedPickle(path, stream).Run();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, 0, $"corrupt gzip data: {e.Message}");
        }
    }

    /// <summary>
    /// True when the file is named as a pickle (<c>.pkl</c>, <c>.pickle</c>, optionally <c>.gz</c>) or
    /// starts as one (protocol 2 or later) or as gzip data. Protocols 0 and 1 have no signature.
    /// </summary>
    public static bool LooksLikePickle(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pickle", StringComparison.OrdinalIgnoreCase))
            return true;
        using var stream = File.OpenRead(path);
        var first = stream.ReadByte();
        stream.Position = 0;
        return first == Proto || IsGzip(stream);
    }

    private static bool IsGzip(Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private object Run()
    {
        while (true)
        {
            var at = _position;
            var op = NextByte();
            if (op < 0)
                throw Error(at, "ends before the STOP opcode (truncated)");
            switch ((byte)op)
            {
                case Proto:
                    if (Byte(at) > 5)
                        throw Error(at, "pickle protocol above 5 is not supported");
                    break;
                case Frame:
                    Bytes(8, at);
                    break;
                case Stop:
                    if (_stack.Count != 1 || _stack[0] == MarkObject)
                        throw Error(at, "does not hold exactly one value");
                    return _stack[0];
                case Mark:
                    _stack.Add(MarkObject);
                    break;
                case EmptyList:
                    _stack.Add(new List<object>());
                    break;
                case EmptyDict:
                    _stack.Add(new Dictionary<string, object>(StringComparer.Ordinal));
                    break;
                case ListOp:
                    {
                        var mark = LastMark(at);
                        var list = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
                        _stack.RemoveRange(mark, _stack.Count - mark);
                        _stack.Add(list);
                        break;
                    }
                case DictOp:
                    {
                        var mark = LastMark(at);
                        var dict = new Dictionary<string, object>(StringComparer.Ordinal);
                        AddItems(dict, mark + 1, at);
                        _stack.RemoveAt(mark);
                        _stack.Add(dict);
                        break;
                    }
                case Append:
                    {
                        Need(2, at);
                        if (_stack[^2] is not List<object> list)
                            throw Error(at, "APPEND to something that is not a list");
                        list.Add(Value(_stack[^1], at));
                        _stack.RemoveAt(_stack.Count - 1);
                        break;
                    }
                case Appends:
                    {
                        var mark = LastMark(at);
                        if (mark < 1 || _stack[mark - 1] is not List<object> list)
                            throw Error(at, "APPENDS to something that is not a list");
                        for (var i = mark + 1; i < _stack.Count; i++)
                            list.Add(Value(_stack[i], at));
                        _stack.RemoveRange(mark, _stack.Count - mark);
                        break;
                    }
                case SetItem:
                    {
                        Need(3, at);
                        if (_stack[^3] is not Dictionary<string, object> dict)
                            throw Error(at, "SETITEM on something that is not a dict");
                        AddItems(dict, _stack.Count - 2, at);
                        break;
                    }
                case SetItems:
                    {
                        var mark = LastMark(at);
                        if (mark < 1 || _stack[mark - 1] is not Dictionary<string, object> dict)
                            throw Error(at, "SETITEMS on something that is not a dict");
                        AddItems(dict, mark + 1, at);
                        _stack.RemoveAt(mark);
                        break;
                    }
                case BinInt:
                    _stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4, at)));
                    break;
                case BinInt1:
                    _stack.Add((long)Byte(at));
                    break;
                case BinInt2:
                    _stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2, at)));
                    break;
                case Long1:
                    _stack.Add(PickleText.LittleEndianSigned(Bytes(Byte(at), at)) ?? throw Error(at, "an integer larger than 64 bits"));
                    break;
                case Long4:
                    _stack.Add(PickleText.LittleEndianSigned(Bytes(Length(BinaryPrimitives.ReadInt32LittleEndian(Bytes(4, at)), at), at)) ?? throw Error(at, "an integer larger than 64 bits"));
                    break;
                case IntOp:
                case LongOp:
                    {
                        var line = Line(at);
                        if (line is "00" or "01")
                            throw Refused(at, "a boolean");
                        _stack.Add(PickleText.ParseDecimal(line) ?? throw Error(at, $"\"{line}\" is not a 64-bit integer"));
                        break;
                    }
                case BinFloat:
                    _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8, at)));
                    break;
                case FloatOp:
                    {
                        var line = Line(at);
                        _stack.Add(double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Error(at, $"\"{line}\" is not a float"));
                        break;
                    }
                case BinUnicode:
                    _stack.Add(Utf8(Bytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, at)), at), at), at));
                    break;
                case ShortBinUnicode:
                    _stack.Add(Utf8(Bytes(Byte(at), at), at));
                    break;
                case BinUnicode8:
                    _stack.Add(Utf8(Bytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, at)), at), at), at));
                    break;
                case UnicodeOp:
                    _stack.Add(PickleText.RawUnicodeEscape(Line(at)) ?? throw Error(at, "bad \\u escape in a string"));
                    break;
                case Memoize:
                    Remember(_memo.Count, at);
                    break;
                case BinPut:
                    Remember(Byte(at), at);
                    break;
                case LongBinPut:
                    Remember(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, at)), at);
                    break;
                case Put:
                    Remember(PickleText.ParseDecimal(Line(at)) ?? -1, at);
                    break;
                case BinGet:
                    Recall(Byte(at), at);
                    break;
                case LongBinGet:
                    Recall(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, at)), at);
                    break;
                case Get:
                    Recall(PickleText.ParseDecimal(Line(at)) ?? -1, at);
                    break;
                case Global:
                    throw Refused(at, $"GLOBAL {PickleText.Printable(Line(at))}.{PickleText.Printable(Line(at))}");
                case StackGlobal:
                    throw Refused(at, "STACK_GLOBAL");
                default:
                    throw Refused(at, null, op);
            }
        }
    }

    private void AddItems(Dictionary<string, object> dict, int from, long at)
    {
        if ((_stack.Count - from) % 2 != 0)
            throw Error(at, "a dict item without a value");
        for (var i = from; i < _stack.Count; i += 2)
        {
            var key = _stack[i] switch
            {
                string s => s,
                long n => n.ToString(CultureInfo.InvariantCulture),
                _ => throw Error(at, "a dict key is not a string or an int"),
            };
            dict[key] = Value(_stack[i + 1], at);
        }
        _stack.RemoveRange(from, _stack.Count - from);
    }

    private object Value(object item, long at) => item != MarkObject ? item : throw Error(at, "a MARK where a value belongs");

    private void Need(int count, long at)
    {
        if (_stack.Count < count || _stack.Skip(_stack.Count - count).Contains(MarkObject))
            throw Error(at, "stack underflow");
    }

    private int LastMark(long at)
    {
        var i = _stack.LastIndexOf(MarkObject);
        return i >= 0 ? i : throw Error(at, "no MARK for a list or dict operation");
    }

    private void Remember(long index, long at)
    {
        if (index != _memo.Count)
            throw Error(at, $"memo index {index} out of sequence (expected {_memo.Count})");
        if (_stack.Count == 0 || _stack[^1] == MarkObject)
            throw Error(at, "memo put with nothing to remember");
        _memo.Add(_stack[^1]);
    }

    private void Recall(long index, long at)
    {
        if (index < 0 || index >= _memo.Count)
            throw Error(at, $"memo get {index} of nothing remembered");
        var value = _memo[(int)index];
        if (value is List<object> or Dictionary<string, object>)
            throw Error(at, "refers back to a list or dict (shared or cyclic containers are not supported)");
        _stack.Add(value);
    }

    private int NextByte()
    {
        var b = _stream.ReadByte();
        if (b >= 0 && ++_position > MaxPickleBytes)
            throw Error(_position, $"larger than {MaxPickleBytes} bytes");
        return b;
    }

    private int Byte(long at)
    {
        var b = NextByte();
        return b >= 0 ? b : throw Error(at, "truncated");
    }

    private byte[] Bytes(int count, long at)
    {
        var bytes = new byte[count];
        if (_stream.ReadAtLeast(bytes, count, throwOnEndOfStream: false) != count)
            throw Error(at, $"truncated (needs {count} more bytes)");
        _position += count;
        return bytes;
    }

    private int Length(ulong length, long at) =>
        length <= MaxStringBytes ? (int)length : throw Error(at, $"a string of {length} bytes (more than {MaxStringBytes})");

    private int Length(int length, long at) => length >= 0 ? Length((ulong)length, at) : throw Error(at, "negative length");

    private string Line(long at)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = NextByte();
            if (b < 0)
                throw Error(at, "truncated line");
            if (b == '\n')
                return Encoding.Latin1.GetString([.. bytes]);
            if (bytes.Count > 4096)
                throw Error(at, "line argument too long");
            bytes.Add((byte)b);
        }
    }

    private string Utf8(byte[] bytes, long at) => PickleText.Utf8(bytes) ?? throw Error(at, "a string is not valid UTF-8");

    private DataFormatException Refused(long at, string? what, int op = 0)
    {
        var name = what ?? (op is >= 0x20 and < 0x7f ? $"'{(char)op}'" : $"0x{op:x2}");
        return Error(at, $"opcode {name} is not allowed: only dicts, lists, ints, floats and strings are read (nothing was executed)");
    }

    private DataFormatException Error(long at, string problem) =>
        new(_path, 0, $"byte {at.ToString(CultureInfo.InvariantCulture)}: {problem}");
}
