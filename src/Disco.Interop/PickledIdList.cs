using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Interop;

/// <summary>
/// Reads a pickled Python list of ints and strings (SPLADE's <c>doc_ids.pkl</c>) without running
/// anything: a pickle is a program for Python's unpickler, and an index downloaded from the
/// internet is untrusted. This reader understands only the opcodes that build a flat list of
/// ints and strings (protocols 0 to 5): lists, marks, appends, ints, longs up to 64 bits, text
/// strings, memo puts and gets, frames. Any other opcode (GLOBAL, REDUCE, BUILD, OBJ, INST,
/// NEWOBJ, STACK_GLOBAL, persistent ids, tuples, dicts, bytes, floats...) is refused with an error
/// naming it and its position; the reader has no way to import or call anything, so refusing
/// executes nothing. Items are streamed to the caller as they are appended, in list order, so
/// 25M ids never sit in memory; string lengths are checked against the file size before allocation.
/// </summary>
public sealed class PickledIdList : IDisposable
{
    private const byte Proto = 0x80, Frame = 0x95, Stop = (byte)'.', Mark = (byte)'(', EmptyList = (byte)']', ListOp = (byte)'l';
    private const byte Append = (byte)'a', Appends = (byte)'e', BinInt = (byte)'J', BinInt1 = (byte)'K', BinInt2 = (byte)'M';
    private const byte Long1 = 0x8a, Long4 = 0x8b, IntOp = (byte)'I', LongOp = (byte)'L';
    private const byte BinUnicode = (byte)'X', ShortBinUnicode = 0x8c, BinUnicode8 = 0x8d, UnicodeOp = (byte)'V';
    private const byte Memoize = 0x94, BinPut = (byte)'q', LongBinPut = (byte)'r', Put = (byte)'p';
    private const byte BinGet = (byte)'h', LongBinGet = (byte)'j', Get = (byte)'g';
    private const byte Global = (byte)'c', StackGlobal = 0x93;

    private readonly string _path;
    private readonly BufferedStream _stream;
    private readonly long _length;
    private readonly List<Item> _stack = [];
    private readonly Dictionary<long, Item> _memo = [];
    private readonly List<MemoRun> _emittedMemos = [];
    private long _memoCount;
    private long _emitted;
    private bool _haveList;

    private PickledIdList(string path, Stream stream)
    {
        _path = path;
        _stream = new BufferedStream(stream, 1 << 16);
        _length = stream.Length;
    }

    /// <summary>
    /// Reads <paramref name="path"/> and hands each list item, as text (ints in decimal), to
    /// <paramref name="item"/> in list order. <paramref name="earlier"/> returns an item already
    /// handed over (by position): a pickle refers back to a string it has seen before (a memo
    /// get) only when the list holds the same id twice. Returns the number of items.
    /// </summary>
    public static long Read(string path, Action<string> item, Func<long, string> earlier)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(earlier);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        using var reader = new PickledIdList(path, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1));
        return reader.Run(item, earlier);
    }

    public void Dispose() => _stream.Dispose();

    private long Run(Action<string> emit, Func<long, string> earlier)
    {
        while (true)
        {
            var at = _stream.Position;
            var op = _stream.ReadByte();
            if (op < 0)
                throw Error(at, "ends before the STOP opcode (truncated)");
            switch ((byte)op)
            {
                case Proto:
                    var version = ReadByte(at);
                    if (version > 5)
                        throw Error(at, $"pickle protocol {version} is not supported (0 to 5)");
                    break;
                case Frame:
                    ReadBytes(8, at);
                    break;
                case Stop:
                    if (_stack.Count != 1 || _stack[0].Kind != ItemKind.List)
                        throw Error(at, "does not hold a single list of ids");
                    if (_stream.ReadByte() >= 0)
                        throw Error(_stream.Position - 1, "has data after the STOP opcode");
                    return _emitted;
                case Mark:
                    Push(new Item(ItemKind.Mark));
                    break;
                case EmptyList:
                    StartList(at);
                    Push(new Item(ItemKind.List));
                    break;
                case ListOp:
                    {
                        // Protocol 0: the items since the mark become the list.
                        var mark = LastMark(at);
                        StartList(at);
                        EmitFrom(mark + 1, at, emit);
                        _stack.RemoveAt(mark);
                        Push(new Item(ItemKind.List));
                        break;
                    }
                case Append:
                    if (_stack.Count < 2 || _stack[^2].Kind != ItemKind.List)
                        throw Error(at, "APPEND outside the list of ids");
                    EmitFrom(_stack.Count - 1, at, emit);
                    break;
                case Appends:
                    {
                        var mark = LastMark(at);
                        if (mark < 1 || _stack[mark - 1].Kind != ItemKind.List)
                            throw Error(at, "APPENDS outside the list of ids");
                        EmitFrom(mark + 1, at, emit);
                        _stack.RemoveAt(mark);
                        break;
                    }
                case BinInt:
                    Push(Item.Int(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, at))));
                    break;
                case BinInt1:
                    Push(Item.Int(ReadByte(at)));
                    break;
                case BinInt2:
                    Push(Item.Int(BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, at))));
                    break;
                case Long1:
                    Push(Item.Int(LittleEndianSigned(ReadBytes(ReadByte(at), at), at)));
                    break;
                case Long4:
                    Push(Item.Int(LittleEndianSigned(ReadBytes(CheckedLength(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, at)), at), at), at)));
                    break;
                case IntOp:
                case LongOp:
                    Push(Item.Int(ParseDecimal(ReadLine(at), at)));
                    break;
                case BinUnicode:
                    Push(Item.Text(Utf8(ReadBytes(CheckedLength(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, at)), at), at), at)));
                    break;
                case ShortBinUnicode:
                    Push(Item.Text(Utf8(ReadBytes(ReadByte(at), at), at)));
                    break;
                case BinUnicode8:
                    Push(Item.Text(Utf8(ReadBytes(CheckedLength(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, at)), at), at), at)));
                    break;
                case UnicodeOp:
                    Push(Item.Text(RawUnicodeEscape(ReadLine(at), at)));
                    break;
                case Memoize:
                    Remember(_memoCount, at);
                    break;
                case BinPut:
                    Remember(ReadByte(at), at);
                    break;
                case LongBinPut:
                    Remember(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, at)), at);
                    break;
                case Put:
                    Remember(ParseDecimal(ReadLine(at), at), at);
                    break;
                case BinGet:
                    Recall(ReadByte(at), at, earlier);
                    break;
                case LongBinGet:
                    Recall(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, at)), at, earlier);
                    break;
                case Get:
                    Recall(ParseDecimal(ReadLine(at), at), at, earlier);
                    break;
                case Global:
                    {
                        var module = SafeLine(at);
                        var name = SafeLine(at);
                        throw Refused(at, op, $"GLOBAL {module}.{name}");
                    }
                case StackGlobal:
                    {
                        var names = _stack.Count >= 2 && _stack[^2].Kind == ItemKind.Str && _stack[^1].Kind == ItemKind.Str
                            ? $" {_stack[^2].String}.{_stack[^1].String}" : "";
                        throw Refused(at, op, "STACK_GLOBAL" + names);
                    }
                default:
                    throw Refused(at, op, null);
            }
        }
    }

    private void StartList(long at)
    {
        if (_haveList)
            throw Error(at, "holds a second list (nested lists are not ids)");
        if (_stack.Any(i => i.Kind != ItemKind.Mark))
            throw Error(at, "the list of ids is not the outermost object");
        _haveList = true;
    }

    private void Push(Item item) => _stack.Add(item);

    private int LastMark(long at)
    {
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            if (_stack[i].Kind == ItemKind.Mark)
                return i;
        }
        throw Error(at, "no MARK for a list operation");
    }

    /// <summary>Hands the ids on the stack from <paramref name="from"/> up to the caller and pops them.</summary>
    private void EmitFrom(int from, long at, Action<string> emit)
    {
        for (var i = from; i < _stack.Count; i++)
        {
            var item = _stack[i];
            if (item.Kind is not (ItemKind.Int or ItemKind.Str))
                throw Error(at, "a list item is not an int or a string");
            if (item.Memo >= 0)
            {
                // The memo now only needs to know where the id went, not the id itself.
                _memo.Remove(item.Memo);
                if (_emittedMemos.Count > 0 && _emittedMemos[^1].Extends(item.Memo, _emitted))
                    _emittedMemos[^1] = _emittedMemos[^1] with { Count = _emittedMemos[^1].Count + 1 };
                else
                    _emittedMemos.Add(new MemoRun(item.Memo, _emitted, 1));
            }
            emit(item.Kind == ItemKind.Int ? item.Number.ToString(CultureInfo.InvariantCulture) : item.String!);
            _emitted++;
        }
        _stack.RemoveRange(from, _stack.Count - from);
    }

    private void Remember(long index, long at)
    {
        if (index != _memoCount)
            throw Error(at, $"memo index {index} out of sequence (expected {_memoCount})");
        if (_stack.Count == 0 || _stack[^1].Kind == ItemKind.Mark)
            throw Error(at, "memo put with nothing to remember");
        var top = _stack[^1];
        if (top.Memo >= 0)
            throw Error(at, "an object is memoized twice");
        _stack[^1] = top with { Memo = index };
        if (top.Kind != ItemKind.List)
            _memo[index] = top with { Memo = -1 };
        _memoCount++;
    }

    private void Recall(long index, long at, Func<long, string> earlier)
    {
        if (_memo.TryGetValue(index, out var item))
        {
            Push(item);
            return;
        }
        // Runs are in increasing memo order: binary search for the last run starting at or before index.
        int lo = 0, hi = _emittedMemos.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_emittedMemos[mid].First <= index)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        var run = hi >= 0 && index < _emittedMemos[hi].First + _emittedMemos[hi].Count ? _emittedMemos[hi] : default;
        if (run.Count == 0)
            throw Error(at, index < _memoCount ? "refers back to the list itself (a list inside the list of ids)" : $"memo get {index} of nothing remembered");
        Push(Item.Text(earlier(run.Position + (index - run.First))));
    }

    private DataFormatException Refused(long at, int op, string? what)
    {
        var name = what ?? (op is >= 0x20 and < 0x7f ? $"'{(char)op}'" : $"0x{op:x2}");
        return Error(at, $"opcode {name} is not allowed: doc_ids.pkl must be a plain list of ints or strings (nothing was executed)");
    }

    private DataFormatException Error(long at, string problem) =>
        new(_path, 0, $"byte {at.ToString(CultureInfo.InvariantCulture)}: {problem}");

    private int ReadByte(long at)
    {
        var b = _stream.ReadByte();
        return b >= 0 ? b : throw Error(at, "truncated");
    }

    private byte[] ReadBytes(int count, long at)
    {
        if (count > _length - _stream.Position)
            throw Error(at, $"truncated (needs {count} more bytes)");
        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        return bytes;
    }

    private int CheckedLength(ulong length, long at) =>
        length <= (ulong)(_length - _stream.Position) ? (int)length : throw Error(at, $"truncated (a length of {length} bytes runs past the end of the file)");

    private int CheckedLength(long length, long at) =>
        length >= 0 ? CheckedLength((ulong)length, at) : throw Error(at, "negative length");

    private string ReadLine(long at)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = _stream.ReadByte();
            if (b < 0)
                throw Error(at, "truncated line");
            if (b == '\n')
                return Encoding.Latin1.GetString([.. bytes]);
            if (bytes.Count > 4096)
                throw Error(at, "line argument too long");
            bytes.Add((byte)b);
        }
    }

    /// <summary>A line of a refused opcode, shown in the error (printable ASCII only, shortened).</summary>
    private string SafeLine(long at)
    {
        try
        {
            return PickleText.Printable(ReadLine(at));
        }
        catch (DataFormatException)
        {
            return "?";
        }
    }

    private long ParseDecimal(string line, long at)
    {
        if (line is "00" or "01")
            throw Error(at, "a boolean is not an id");
        return PickleText.ParseDecimal(line) ?? throw Error(at, $"\"{line}\" is not a 64-bit integer");
    }

    private long LittleEndianSigned(byte[] bytes, long at) =>
        PickleText.LittleEndianSigned(bytes) ?? throw Error(at, $"an integer of {bytes.Length} bytes is larger than 64 bits");

    private string Utf8(byte[] bytes, long at) => PickleText.Utf8(bytes) ?? throw Error(at, "a string is not valid UTF-8");

    private string RawUnicodeEscape(string line, long at) => PickleText.RawUnicodeEscape(line) ?? throw Error(at, "bad \\u escape in a string");

    private enum ItemKind
    {
        Mark,
        List,
        Int,
        Str,
    }

    private readonly record struct Item(ItemKind Kind, long Number = 0, string? String = null, long Memo = -1)
    {
        public static Item Int(long v) => new(ItemKind.Int, v);

        public static Item Text(string s) => new(ItemKind.Str, 0, s);
    }

    /// <summary>Memo entries First..First+Count-1 were list items Position..Position+Count-1.</summary>
    private readonly record struct MemoRun(long First, long Position, long Count)
    {
        public bool Extends(long memo, long position) => memo == First + Count && position == Position + Count;
    }
}
