using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Disco.Core.IO;

/// <summary>
/// Disco's one interpreter of Python pickles (protocols 0 to 5), for files that hold only lists,
/// dicts, ints, floats and strings: a pickle is a program for Python's unpickler, and a file that
/// comes with a dataset or an index is untrusted. Only the opcodes that build those values are
/// understood, on this class's own stack; any other (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ,
/// NEWOBJ, persistent ids, tuples, bytes, None, booleans...) is refused with a one-line error naming
/// the file, the byte offset and the opcode. There is no way to import or call anything from here,
/// so refusing executes nothing. Sizes are checked before allocation: a string against
/// <see cref="MaxStringBytes"/> and against the bytes left in the file (when its length is known),
/// the whole pickle against the front end's limit (a gzip bomb).
/// <para>A front end decides what the containers become: <see cref="RestrictedPickle"/> builds the
/// value tree; a streaming front end (interop's id-list reader) hands list items on as they are
/// appended and keeps none (<see cref="StreamsItems"/>), so 25M ids never sit in memory. Each front
/// end chooses whether dicts and floats are allowed; the rest of the whitelist is shared.</para>
/// </summary>
public abstract class RestrictedUnpickler
{
    /// <summary>The longest string read (16 MB): ids, keys and texts are far shorter; a larger length is a damaged or hostile file.</summary>
    public const int MaxStringBytes = 16 << 20;

    private const byte Proto = 0x80, Frame = 0x95, Stop = (byte)'.', Mark = (byte)'(';
    private const byte EmptyList = (byte)']', ListOp = (byte)'l', Append = (byte)'a', Appends = (byte)'e';
    private const byte EmptyDict = (byte)'}', DictOp = (byte)'d', SetItem = (byte)'s', SetItems = (byte)'u';
    private const byte BinInt = (byte)'J', BinInt1 = (byte)'K', BinInt2 = (byte)'M', Long1 = 0x8a, Long4 = 0x8b, IntOp = (byte)'I', LongOp = (byte)'L';
    private const byte BinFloat = (byte)'G', FloatOp = (byte)'F';
    private const byte BinUnicode = (byte)'X', ShortBinUnicode = 0x8c, BinUnicode8 = 0x8d, UnicodeOp = (byte)'V';
    private const byte Memoize = 0x94, BinPut = (byte)'q', LongBinPut = (byte)'r', Put = (byte)'p';
    private const byte BinGet = (byte)'h', LongBinGet = (byte)'j', Get = (byte)'g';
    private const byte Global = (byte)'c', StackGlobal = 0x93;
    private const int MaxLineBytes = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly string _path;
    private readonly string _allowed;
    private readonly List<PickleValue> _stack = [];
    private readonly Dictionary<long, PickleValue> _memo = [];
    private readonly List<MemoRun> _streamedMemos = [];
    private readonly byte[] _word = new byte[8];
    private byte[] _scratch = new byte[256];
    private Stream _stream = Stream.Null;
    private long _length = -1;
    private long _maxBytes;
    private long _position;
    private long _memoCount;
    private long _appended;
    private int _newContainerAt;
    private bool _dicts, _floats, _streams;

    /// <param name="path">The file, named in every error.</param>
    /// <param name="allowed">What the front end reads, for the refusal message (e.g. "only dicts, lists, ints, floats and strings are read").</param>
    protected RestrictedUnpickler(string path, string allowed)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(allowed);
        _path = path;
        _allowed = allowed;
    }

    /// <summary>Whether dicts (EMPTY_DICT, DICT, SETITEM, SETITEMS) are read; refused as opcodes otherwise.</summary>
    protected virtual bool ReadsDicts => false;

    /// <summary>Whether floats (BINFLOAT, FLOAT) are read; refused as opcodes otherwise.</summary>
    protected virtual bool ReadsFloats => false;

    /// <summary>
    /// Whether list items are handed on by <see cref="AppendItems"/> and forgotten: the memo then keeps
    /// only where a memoized item went (runs of positions), and a later memo get of it asks
    /// <see cref="Earlier"/>. Python memoizes every string, so keeping them would hold the whole list.
    /// </summary>
    protected virtual bool StreamsItems => false;

    /// <summary>True while the list or dict being made (by <see cref="NewList"/> or <see cref="NewDict"/>) is the outermost value: nothing but marks below it.</summary>
    protected bool AtTopLevel
    {
        get
        {
            for (var i = 0; i < _newContainerAt; i++)
            {
                if (_stack[i].Kind != PickleKind.Mark)
                    return false;
            }
            return true;
        }
    }

    /// <summary>Makes a list (EMPTY_LIST or LIST); what is returned comes back to <see cref="AppendItems"/> as the list.</summary>
    protected abstract object NewList(long at);

    /// <summary>Makes a dict (EMPTY_DICT or DICT); called only when <see cref="ReadsDicts"/>.</summary>
    protected virtual object NewDict(long at) => throw new NotSupportedException("dicts are not read");

    /// <summary>Appends items (never marks) to a list made by <see cref="NewList"/>, in list order.</summary>
    protected abstract void AppendItems(object list, ReadOnlySpan<PickleValue> items, long at);

    /// <summary>Sets keys and values (alternating, never marks) in a dict made by <see cref="NewDict"/>.</summary>
    protected virtual void SetItemsOf(object dict, ReadOnlySpan<PickleValue> keysAndValues, long at) => throw new NotSupportedException("dicts are not read");

    /// <summary>With <see cref="StreamsItems"/>: the item handed on at <paramref name="position"/> (counting every item appended so far), for a memo get that refers back to it.</summary>
    protected virtual PickleValue Earlier(long position) => throw new NotSupportedException("items are not streamed");

    /// <summary>Checks the value the pickle holds (at its STOP opcode), e.g. that it is a list.</summary>
    protected virtual void CheckResult(PickleValue value, long at)
    {
    }

    /// <summary>An error naming the file and the byte offset: <c>path: byte N: problem</c>.</summary>
    protected DataFormatException Error(long at, string problem) =>
        new(_path, 0, $"byte {at.ToString(CultureInfo.InvariantCulture)}: {problem}");

    /// <summary>
    /// Interprets the pickle in <paramref name="stream"/> up to its STOP opcode and returns the one
    /// value it holds; data after STOP is refused.
    /// </summary>
    /// <param name="stream">The pickle, decompressed, read from its first byte (buffer it: opcodes are read a byte at a time).</param>
    /// <param name="length">The pickle's length when known (a plain file), so that lengths are checked against what is left; null for compressed input.</param>
    /// <param name="maxBytes">The most bytes the pickle may have (a limit on decompressed input).</param>
    protected PickleValue Run(Stream stream, long? length, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _length = length ?? -1;
        _maxBytes = maxBytes;
        _dicts = ReadsDicts;
        _floats = ReadsFloats;
        _streams = StreamsItems;
        while (true)
        {
            var at = _position;
            var op = NextByte();
            if (op < 0)
                throw Error(at, "ends before the STOP opcode (truncated)");
            switch ((byte)op)
            {
                case Proto:
                    {
                        var version = Byte(at);
                        if (version > 5)
                            throw Error(at, $"pickle protocol {version} is not supported (0 to 5)");
                        break;
                    }
                case Frame:
                    Fixed(8, at);
                    break;
                case Stop:
                    {
                        if (_stack.Count != 1 || _stack[0].Kind == PickleKind.Mark)
                            throw Error(at, "does not hold exactly one value");
                        var value = _stack[0];
                        CheckResult(value, at);
                        if (NextByte() >= 0)
                            throw Error(_position - 1, "has data after the STOP opcode");
                        return value;
                    }
                case Mark:
                    _stack.Add(PickleValue.MarkValue);
                    break;
                case EmptyList:
                    _newContainerAt = _stack.Count;
                    _stack.Add(PickleValue.Of(PickleKind.List, NewList(at)));
                    break;
                case ListOp:
                    {
                        // Protocol 0: the items since the mark become the list, which takes the mark's place.
                        var mark = LastMark(at);
                        _newContainerAt = mark;
                        var list = NewList(at);
                        AppendFrom(list, mark + 1, at);
                        _stack[mark] = PickleValue.Of(PickleKind.List, list);
                        break;
                    }
                case Append:
                    if (_stack.Count < 2 || _stack[^2].Kind == PickleKind.Mark)
                        throw Error(at, "stack underflow");
                    if (_stack[^2].Kind != PickleKind.List)
                        throw Error(at, "APPEND to something that is not a list");
                    AppendFrom(_stack[^2].Container, _stack.Count - 1, at);
                    break;
                case Appends:
                    {
                        var mark = LastMark(at);
                        if (mark < 1 || _stack[mark - 1].Kind != PickleKind.List)
                            throw Error(at, "APPENDS to something that is not a list");
                        AppendFrom(_stack[mark - 1].Container, mark + 1, at);
                        _stack.RemoveAt(mark);
                        break;
                    }
                case EmptyDict when _dicts:
                    _newContainerAt = _stack.Count;
                    _stack.Add(PickleValue.Of(PickleKind.Dict, NewDict(at)));
                    break;
                case DictOp when _dicts:
                    {
                        var mark = LastMark(at);
                        _newContainerAt = mark;
                        var dict = NewDict(at);
                        SetFrom(dict, mark + 1, at);
                        _stack[mark] = PickleValue.Of(PickleKind.Dict, dict);
                        break;
                    }
                case SetItem when _dicts:
                    if (_stack.Count < 3 || _stack[^3].Kind == PickleKind.Mark)
                        throw Error(at, "stack underflow");
                    if (_stack[^3].Kind != PickleKind.Dict)
                        throw Error(at, "SETITEM on something that is not a dict");
                    SetFrom(_stack[^3].Container, _stack.Count - 2, at);
                    break;
                case SetItems when _dicts:
                    {
                        var mark = LastMark(at);
                        if (mark < 1 || _stack[mark - 1].Kind != PickleKind.Dict)
                            throw Error(at, "SETITEMS on something that is not a dict");
                        SetFrom(_stack[mark - 1].Container, mark + 1, at);
                        _stack.RemoveAt(mark);
                        break;
                    }
                case BinInt:
                    _stack.Add(PickleValue.FromInt(BinaryPrimitives.ReadInt32LittleEndian(Fixed(4, at))));
                    break;
                case BinInt1:
                    _stack.Add(PickleValue.FromInt(Byte(at)));
                    break;
                case BinInt2:
                    _stack.Add(PickleValue.FromInt(BinaryPrimitives.ReadUInt16LittleEndian(Fixed(2, at))));
                    break;
                case Long1:
                    _stack.Add(PickleValue.FromInt(LittleEndianSigned(Byte(at), at)));
                    break;
                case Long4:
                    _stack.Add(PickleValue.FromInt(LittleEndianSigned(BinaryPrimitives.ReadInt32LittleEndian(Fixed(4, at)), at)));
                    break;
                case IntOp:
                case LongOp:
                    {
                        var line = Line(at);
                        if (line is "00" or "01")
                            throw Refused(at, $"{(char)op} {line} (a boolean)");
                        _stack.Add(PickleValue.FromInt(Decimal(line, at)));
                        break;
                    }
                case BinFloat when _floats:
                    _stack.Add(PickleValue.FromFloat(BinaryPrimitives.ReadDoubleBigEndian(Fixed(8, at))));
                    break;
                case FloatOp when _floats:
                    {
                        var line = Line(at);
                        _stack.Add(PickleValue.FromFloat(double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Error(at, $"\"{PickleText.Printable(line)}\" is not a float")));
                        break;
                    }
                case BinUnicode:
                    _stack.Add(PickleValue.FromString(Utf8(Length(BinaryPrimitives.ReadUInt32LittleEndian(Fixed(4, at)), at), at)));
                    break;
                case ShortBinUnicode:
                    _stack.Add(PickleValue.FromString(Utf8(Length((ulong)Byte(at), at), at)));
                    break;
                case BinUnicode8:
                    _stack.Add(PickleValue.FromString(Utf8(Length(BinaryPrimitives.ReadUInt64LittleEndian(Fixed(8, at)), at), at)));
                    break;
                case UnicodeOp:
                    _stack.Add(PickleValue.FromString(PickleText.RawUnicodeEscape(Line(at)) ?? throw Error(at, "bad \\u escape in a string")));
                    break;
                case Memoize:
                    Remember(_memoCount, at);
                    break;
                case BinPut:
                    Remember(Byte(at), at);
                    break;
                case LongBinPut:
                    Remember(BinaryPrimitives.ReadUInt32LittleEndian(Fixed(4, at)), at);
                    break;
                case Put:
                    Remember(Decimal(Line(at), at), at);
                    break;
                case BinGet:
                    Recall(Byte(at), at);
                    break;
                case LongBinGet:
                    Recall(BinaryPrimitives.ReadUInt32LittleEndian(Fixed(4, at)), at);
                    break;
                case Get:
                    Recall(Decimal(Line(at), at), at);
                    break;
                case Global:
                    {
                        var module = PrintableLine(at);
                        throw Refused(at, $"GLOBAL {module}.{PrintableLine(at)}");
                    }
                case StackGlobal:
                    {
                        var names = _stack.Count >= 2 && _stack[^2].Kind == PickleKind.Str && _stack[^1].Kind == PickleKind.Str
                            ? $" {PickleText.Printable(_stack[^2].Text)}.{PickleText.Printable(_stack[^1].Text)}" : "";
                        throw Refused(at, "STACK_GLOBAL" + names);
                    }
                default:
                    throw Refused(at, op is >= 0x20 and < 0x7f ? $"'{(char)op}'" : $"0x{op:x2}");
            }
        }
    }

    /// <summary>Hands the items from <paramref name="from"/> to the top of the stack to the list, and pops them.</summary>
    private void AppendFrom(object list, int from, long at)
    {
        var items = CollectionsMarshal.AsSpan(_stack)[from..];
        foreach (var item in items)
        {
            if (item.Kind == PickleKind.Mark)
                throw Error(at, "a MARK where a value belongs");
        }
        AppendItems(list, items, at);
        if (_streams)
        {
            for (var i = 0; i < items.Length; i++)
            {
                var memo = items[i].Memo;
                if (memo < 0)
                    continue;
                // The memo now only needs to know where the item went, not the item itself.
                _memo.Remove(memo);
                var position = _appended + i;
                if (_streamedMemos.Count > 0 && _streamedMemos[^1].Extends(memo, position))
                    _streamedMemos[^1] = _streamedMemos[^1] with { Count = _streamedMemos[^1].Count + 1 };
                else
                    _streamedMemos.Add(new MemoRun(memo, position, 1));
            }
        }
        _appended += items.Length;
        _stack.RemoveRange(from, _stack.Count - from);
    }

    /// <summary>Sets the key/value pairs from <paramref name="from"/> to the top of the stack in the dict, and pops them.</summary>
    private void SetFrom(object dict, int from, long at)
    {
        var items = CollectionsMarshal.AsSpan(_stack)[from..];
        if (items.Length % 2 != 0)
            throw Error(at, "a dict item without a value");
        foreach (var item in items)
        {
            if (item.Kind == PickleKind.Mark)
                throw Error(at, "a MARK where a value belongs");
        }
        SetItemsOf(dict, items, at);
        _stack.RemoveRange(from, _stack.Count - from);
    }

    private int LastMark(long at)
    {
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            if (_stack[i].Kind == PickleKind.Mark)
                return i;
        }
        throw Error(at, "no MARK for a list or dict operation");
    }

    private void Remember(long index, long at)
    {
        if (index != _memoCount)
            throw Error(at, $"memo index {index} out of sequence (expected {_memoCount})");
        if (_stack.Count == 0 || _stack[^1].Kind == PickleKind.Mark)
            throw Error(at, "memo put with nothing to remember");
        var top = _stack[^1];
        if (top.Memo >= 0)
            throw Error(at, "an object is memoized twice");
        _stack[^1] = top.WithMemo(index);
        _memo[index] = top;
        _memoCount++;
    }

    private void Recall(long index, long at)
    {
        if (_memo.TryGetValue(index, out var value))
        {
            if (value.Kind is PickleKind.List or PickleKind.Dict)
                throw Error(at, "refers back to a list or dict (shared, cyclic or nested-in-itself containers are not supported)");
            _stack.Add(value);
            return;
        }
        if (_streams && FindStreamed(index) is { } position)
        {
            _stack.Add(Earlier(position));
            return;
        }
        throw Error(at, $"memo get {index} of nothing remembered");
    }

    /// <summary>Where a streamed item memoized as <paramref name="memo"/> went; runs are in increasing memo order.</summary>
    private long? FindStreamed(long memo)
    {
        int lo = 0, hi = _streamedMemos.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_streamedMemos[mid].First <= memo)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return hi >= 0 && memo < _streamedMemos[hi].First + _streamedMemos[hi].Count ? _streamedMemos[hi].Position + (memo - _streamedMemos[hi].First) : null;
    }

    private DataFormatException Refused(long at, string opcode) =>
        Error(at, $"opcode {opcode} is not allowed: {_allowed} (nothing was executed)");

    private int NextByte()
    {
        var b = _stream.ReadByte();
        if (b >= 0 && ++_position > _maxBytes)
            throw Error(_position - 1, $"larger than {_maxBytes} bytes");
        return b;
    }

    private int Byte(long at)
    {
        var b = NextByte();
        return b >= 0 ? b : throw Error(at, "truncated");
    }

    /// <summary>An opcode's fixed-size argument (at most 8 bytes).</summary>
    private ReadOnlySpan<byte> Fixed(int count, long at) => Read(_word, count, at);

    /// <summary>Reads <paramref name="count"/> bytes, after checking them against the file's length and the size limit.</summary>
    private ReadOnlySpan<byte> Read(byte[] buffer, int count, long at)
    {
        if (_length >= 0 && count > _length - _position)
            throw Error(at, $"truncated (needs {count} more bytes)");
        if (count > _maxBytes - _position)
            throw Error(at, $"larger than {_maxBytes} bytes");
        if (_stream.ReadAtLeast(buffer.AsSpan(0, count), count, throwOnEndOfStream: false) != count)
            throw Error(at, $"truncated (needs {count} more bytes)");
        _position += count;
        return buffer.AsSpan(0, count);
    }

    /// <summary>A string's length, checked before anything of that size is allocated.</summary>
    private int Length(ulong length, long at)
    {
        if (length > MaxStringBytes)
            throw Error(at, $"a string of {length} bytes (more than {MaxStringBytes})");
        if (_length >= 0 && length > (ulong)(_length - _position))
            throw Error(at, $"truncated (a length of {length} bytes runs past the end of the file)");
        return (int)length;
    }

    private string Utf8(int count, long at)
    {
        if (_scratch.Length < count)
            _scratch = new byte[Math.Max(count, 2 * _scratch.Length)];
        var bytes = Read(_scratch, count, at);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(at, "a string is not valid UTF-8");
        }
    }

    private long LittleEndianSigned(int count, long at)
    {
        if (count < 0)
            throw Error(at, "negative length");
        if (count > 8)
            throw Error(at, $"an integer of {count} bytes is larger than 64 bits");
        return PickleText.LittleEndianSigned(Fixed(count, at)) ?? throw Error(at, "an integer larger than 64 bits");
    }

    private long Decimal(string line, long at) =>
        PickleText.ParseDecimal(line) ?? throw Error(at, $"\"{PickleText.Printable(line)}\" is not a 64-bit integer");

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
            if (bytes.Count >= MaxLineBytes)
                throw Error(at, "line argument too long");
            bytes.Add((byte)b);
        }
    }

    /// <summary>A line of a refused opcode, for its error: printable ASCII only, shortened; "?" when unreadable.</summary>
    private string PrintableLine(long at)
    {
        try
        {
            return PickleText.Printable(Line(at));
        }
        catch (DataFormatException)
        {
            return "?";
        }
    }

    /// <summary>Memo entries First..First+Count-1 were the streamed items Position..Position+Count-1.</summary>
    private readonly record struct MemoRun(long First, long Position, long Count)
    {
        public bool Extends(long memo, long position) => memo == First + Count && position == Position + Count;
    }
}
