using System.Globalization;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Interop;

/// <summary>
/// Reads a pickled Python list of ints and strings (SPLADE's <c>doc_ids.pkl</c>) without running
/// anything: the opcodes are interpreted by <see cref="RestrictedUnpickler"/>, which has no way to
/// import or call anything. Only a flat list of ints and strings is accepted (protocols 0 to 5);
/// any other opcode (GLOBAL, REDUCE, STACK_GLOBAL, tuples, dicts, bytes, floats...) is refused with
/// an error naming it and its position, and a nested list is refused. Items are streamed to the
/// caller as they are appended, in list order, so 25M ids never sit in memory; string lengths are
/// checked against the file size before allocation.
/// </summary>
public sealed class PickledIdList : RestrictedUnpickler
{
    private readonly Action<string> _item;
    private readonly Func<long, string> _earlier;
    private long _emitted;
    private bool _haveList;

    private PickledIdList(string path, Action<string> item, Func<long, string> earlier)
        : base(path, "doc_ids.pkl must be a plain list of ints or strings")
    {
        _item = item;
        _earlier = earlier;
    }

    protected override bool StreamsItems => true;

    /// <summary>
    /// Reads <paramref name="path"/> and hands each list item, as text (ints in decimal), to
    /// <paramref name="item"/> in list order. <paramref name="earlier"/> returns an item already
    /// handed over (by position): a pickle refers back to a string it has seen before (a memo
    /// get) only when the list holds the same id twice. Returns the number of items.
    /// </summary>
    public static long Read(string path, Action<string> item, Func<long, string> earlier)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(earlier);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var reader = new PickledIdList(path, item, earlier);
        // Streamed, so no limit on the whole: the file's length bounds every string.
        reader.Run(stream, stream.Length, long.MaxValue);
        return reader._emitted;
    }

    protected override object NewList(long at)
    {
        if (_haveList)
            throw Error(at, "holds a second list (nested lists are not ids)");
        if (!AtTopLevel)
            throw Error(at, "the list of ids is not the outermost object");
        _haveList = true;
        return this;
    }

    protected override void AppendItems(object list, ReadOnlySpan<PickleValue> items, long at)
    {
        foreach (var item in items)
        {
            _item(item.Kind switch
            {
                PickleKind.Number => item.Number.ToString(CultureInfo.InvariantCulture),
                PickleKind.Str => item.Text,
                _ => throw Error(at, "a list item is not an int or a string"),
            });
            _emitted++;
        }
    }

    protected override PickleValue Earlier(long position) => PickleValue.FromString(_earlier(position));

    protected override void CheckResult(PickleValue value, long at)
    {
        if (value.Kind != PickleKind.List)
            throw Error(at, "does not hold a single list of ids");
    }
}
