using System.Globalization;
using System.IO.Compression;

namespace Disco.Core.IO;

/// <summary>
/// Reads a Python pickle (protocols 0 to 5, optionally gzip-compressed, as SPLADE's
/// <c>*.pkl.gz</c> hard-negative scores <c>{qid: {docid: score}}</c>) that holds only dicts, lists,
/// ints, floats and strings, as a tree of values, without running anything: the opcodes are
/// interpreted by <see cref="RestrictedUnpickler"/>, which refuses everything else (GLOBAL, REDUCE,
/// tuples, bytes, None, booleans...) with an error naming it and its byte position. Sizes are
/// checked before allocation (strings at most <see cref="RestrictedUnpickler.MaxStringBytes"/>, the
/// whole pickle at most <see cref="MaxPickleBytes"/> once decompressed). Values come back as
/// <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <c>List&lt;object&gt;</c> and
/// <c>Dictionary&lt;string, object&gt;</c> (int keys written in decimal); a memo reference to a
/// list or dict (a shared or cyclic container) is refused.
/// </summary>
public sealed class RestrictedPickle : RestrictedUnpickler
{
    /// <summary>The largest pickle read, decompressed: the tree is held in memory, and a gzip bomb must not fill it.</summary>
    public const long MaxPickleBytes = 8L << 30;

    private const byte Proto = 0x80;

    private RestrictedPickle(string path)
        : base(path, "only dicts, lists, ints, floats and strings are read")
    {
    }

    protected override bool ReadsDicts => true;

    protected override bool ReadsFloats => true;

    /// <summary>Reads the value a pickle file holds (gzip-compressed when it starts with gzip's magic bytes).</summary>
    public static object Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        using var file = File.OpenRead(path);
        var gzip = IsGzip(file);
        using var stream = gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : (Stream)new BufferedStream(file, 1 << 16);
        try
        {
            return ToObject(new RestrictedPickle(path).Run(stream, gzip ? null : file.Length, MaxPickleBytes));
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

    protected override object NewList(long at) => new List<object>();

    protected override object NewDict(long at) => new Dictionary<string, object>(StringComparer.Ordinal);

    protected override void AppendItems(object list, ReadOnlySpan<PickleValue> items, long at)
    {
        var target = (List<object>)list;
        foreach (var item in items)
            target.Add(ToObject(item));
    }

    protected override void SetItemsOf(object dict, ReadOnlySpan<PickleValue> keysAndValues, long at)
    {
        var target = (Dictionary<string, object>)dict;
        for (var i = 0; i < keysAndValues.Length; i += 2)
        {
            var key = keysAndValues[i].Kind switch
            {
                PickleKind.Str => keysAndValues[i].Text,
                PickleKind.Number => keysAndValues[i].Number.ToString(CultureInfo.InvariantCulture),
                _ => throw Error(at, "a dict key is not a string or an int"),
            };
            // As Python's dict: a repeated key keeps the last value.
            target[key] = ToObject(keysAndValues[i + 1]);
        }
    }

    private static object ToObject(PickleValue value) => value.Kind switch
    {
        PickleKind.Number => value.Number,
        PickleKind.Real => value.Real,
        PickleKind.Str => value.Text,
        _ => value.Container,
    };

    private static bool IsGzip(Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
