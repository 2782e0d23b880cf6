using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Text.Json;
using Disco.Core;
using Disco.Index;
using PureHDF;
using PureHDF.VOL.Native;

namespace Disco.Interop;

/// <summary>
/// Reads the index naver/splade's <c>IndexDictOfArray.save</c> writes (DiSCo's prebuilt
/// TopiOCQA index has this form) and converts it into a Disco index:
/// <list type="bullet">
/// <item><c>array_index.h5py</c>: per vocabulary id <c>k</c> with postings, <c>index_doc_id_{k}</c>
/// (int32 internal document numbers) and <c>index_doc_value_{k}</c> (float32 weights), plus a
/// scalar <c>dim</c>. The reference saves <c>dim</c> as the number of non-empty lists, not the
/// vocabulary size, so the lists are found from the datasets that exist, never from <c>dim</c>.</item>
/// <item><c>doc_ids.pkl</c>: the pickled list of collection ids (position = internal number), read
/// by <see cref="PickledIdList"/>, which executes nothing.</item>
/// <item><c>index_dist.json</c> (optional): list lengths, checked against the datasets.</item>
/// </list>
/// Term names come from the document encoder's vocabulary (id → token). Conversion goes list by
/// list, so memory is bounded by the longest posting list; weights are copied as float32 bits.
/// </summary>
public sealed class SpladeIndexImport : IDisposable
{
    public const string ArrayFile = "array_index.h5py";
    public const string DocIdsFile = "doc_ids.pkl";
    public const string DistributionFile = "index_dist.json";
    private const string IdsPrefix = "index_doc_id_";
    private const string ValuesPrefix = "index_doc_value_";

    private readonly NativeFile _file;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private readonly string _h5Path;
    private readonly SortedDictionary<int, (long Length, IH5Dataset Ids, IH5Dataset Values)> _lists;

    private SpladeIndexImport(string directory, string h5Path, NativeFile file, SortedDictionary<int, (long Length, IH5Dataset Ids, IH5Dataset Values)> lists, long? dim)
    {
        Directory = directory;
        _h5Path = h5Path;
        _file = file;
        _lists = lists;
        Dim = dim;
        PostingCount = lists.Values.Sum(l => l.Length);
    }

    public string Directory { get; }

    /// <summary>The scalar <c>dim</c> as saved (usually the number of non-empty lists), if present.</summary>
    public long? Dim { get; }

    /// <summary>Number of posting lists (datasets pairs) in the file.</summary>
    public int ListCount => _lists.Count;

    /// <summary>Total postings over all lists (before zero weights are dropped).</summary>
    public long PostingCount { get; }

    /// <summary>The largest vocabulary id that has a posting list.</summary>
    public int MaxTermId => _lists.Count == 0 ? -1 : _lists.Keys.Max();

    /// <summary>Opens <paramref name="directory"/> and lists its posting lists; reads no postings yet.</summary>
    public static SpladeIndexImport Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new DiscoException($"{directory}: folder not found (expected naver/splade's index folder with {ArrayFile} and {DocIdsFile})");
        var h5 = Path.Combine(directory, ArrayFile);
        foreach (var required in new[] { h5, Path.Combine(directory, DocIdsFile) })
        {
            if (!File.Exists(required))
                throw new DiscoException($"{required}: file not found (a naver/splade index folder holds {ArrayFile} and {DocIdsFile})");
        }
        // Through a memory map: PureHDF reads object headers and symbol tables in many small pieces,
        // and mapped reads cost no system call each (listing 60K datasets is about 4x faster).
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        NativeFile file;
        try
        {
            if (new FileInfo(h5).Length == 0)
                throw new DataFormatException(h5, 0, "the file is empty");
            CheckNotTruncated(h5);
            map = MemoryMappedFile.CreateFromFile(h5, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            file = H5File.Open(view);
        }
        catch (Exception e) when (e is not DiscoException)
        {
            view?.Dispose();
            map?.Dispose();
            throw Unreadable(h5, "not a readable HDF5 file", e);
        }
        catch
        {
            view?.Dispose();
            map?.Dispose();
            throw;
        }
        try
        {
            var ids = new Dictionary<int, IH5Dataset>();
            var values = new Dictionary<int, IH5Dataset>();
            long? dim = null;
            Hdf5(h5, "reading the dataset names", () => PureHdfGroupNames.Preload(file));
            foreach (var child in Hdf5(h5, "listing the datasets", () => file.Children().ToList()))
            {
                var name = child.Name;
                if (name == "dim" && child is IH5Dataset dimSet)
                {
                    dim = Hdf5(h5, "reading dim", () => ReadScalar(dimSet));
                    continue;
                }
                var (prefix, target) = name.StartsWith(IdsPrefix, StringComparison.Ordinal) ? (IdsPrefix, ids)
                    : name.StartsWith(ValuesPrefix, StringComparison.Ordinal) ? (ValuesPrefix, values) : (null, null);
                if (prefix is null || target is null)
                    continue;
                if (!int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var k))
                    throw new DataFormatException(h5, 0, $"dataset {name}: \"{name[prefix.Length..]}\" is not a vocabulary id");
                if (child is not IH5Dataset dataset)
                    throw new DataFormatException(h5, 0, $"{name} is not a dataset");
                target[k] = dataset;
            }
            var lists = new SortedDictionary<int, (long Length, IH5Dataset Ids, IH5Dataset Values)>();
            foreach (var (k, idSet) in ids)
            {
                if (!values.TryGetValue(k, out var valueSet))
                    throw new DataFormatException(h5, 0, $"{IdsPrefix}{k} has no {ValuesPrefix}{k}");
                var idLength = Hdf5(h5, $"reading {IdsPrefix}{k}", () => Length(h5, idSet, $"{IdsPrefix}{k}"));
                var valueLength = Hdf5(h5, $"reading {ValuesPrefix}{k}", () => Length(h5, valueSet, $"{ValuesPrefix}{k}"));
                if (idLength != valueLength)
                    throw new DataFormatException(h5, 0, $"{IdsPrefix}{k} has {idLength} documents but {ValuesPrefix}{k} has {valueLength} values");
                CheckType(h5, idSet, $"{IdsPrefix}{k}", H5DataTypeClass.FixedPoint, "integer", 4, 8);
                CheckType(h5, valueSet, $"{ValuesPrefix}{k}", H5DataTypeClass.FloatingPoint, "float32", 4, 4);
                lists[k] = (idLength, idSet, valueSet);
            }
            foreach (var k in values.Keys.Where(k => !ids.ContainsKey(k)))
                throw new DataFormatException(h5, 0, $"{ValuesPrefix}{k} has no {IdsPrefix}{k}");
            var import = new SpladeIndexImport(directory, h5, file, lists, dim) { _map = map, _view = view };
            import.CheckDistribution();
            return import;
        }
        catch
        {
            file.Dispose();
            view.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes the Disco index: document ids from doc_ids.pkl, then one term per posting list in
    /// vocabulary-id order, named by <paramref name="vocabulary"/> (id → token). Progress counts postings.
    /// </summary>
    public IndexMetadata WriteTo(string outputDirectory, IReadOnlyList<string> vocabulary, IProgress<long>? progress = null, int rangeBits = IndexBuildOptions.DefaultRangeBits)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (MaxTermId >= vocabulary.Count)
            throw new DiscoException($"{_h5Path}: has postings for vocabulary id {MaxTermId}, but the vocabulary has {vocabulary.Count} tokens; give the document encoder's vocabulary");
        var pkl = Path.Combine(Directory, DocIdsFile);
        using var writer = new InvertedIndexWriter(outputDirectory, new InvertedIndexOptions(RangeBits: rangeBits));
        writer.BuildInfo["source"] = "splade";
        writer.BuildInfo["spladeIndex"] = Path.GetFullPath(Directory);
        if (Dim is long d)
            writer.BuildInfo["spladeDim"] = d.ToString(CultureInfo.InvariantCulture);
        writer.BeginSource(pkl, i => $"{pkl} position {i.ToString(CultureInfo.InvariantCulture)}");
        PickledIdList.Read(pkl, id => writer.AddDocument(id), position => writer.DocumentId(checked((int)position)));
        var documents = writer.DocumentCount;

        var docs = new int[1024];
        var weights = new float[1024];
        long[]? wide = null;
        try
        {
            foreach (var (k, (length, idSet, valueSet)) in _lists)
            {
                var n = checked((int)length);
                if (docs.Length < n)
                {
                    var size = (int)Math.Min(Math.Max(n, (long)docs.Length * 2), Array.MaxLength);
                    docs = new int[size];
                    weights = new float[size];
                }
                var idName = $"{IdsPrefix}{k}";
                if (idSet.Type.Size == 8)
                {
                    if (wide is null || wide.Length < n)
                        wide = new long[docs.Length];
                    var w = wide;
                    Hdf5(_h5Path, $"reading {idName}", () => Read<long>(idSet, w.AsSpan(0, n)));
                    for (var i = 0; i < n; i++)
                        docs[i] = w[i] is >= 0 and <= int.MaxValue ? (int)w[i] : -1;
                }
                else
                {
                    // uint32 numbers above int.MaxValue read as negative and are refused below as out of range.
                    Hdf5(_h5Path, $"reading {idName}", () => Read<int>(idSet, docs.AsSpan(0, n)));
                }
                Hdf5(_h5Path, $"reading {ValuesPrefix}{k}", () => Read<float>(valueSet, weights.AsSpan(0, n)));
                var sorted = true;
                for (var i = 0; i < n; i++)
                {
                    if ((uint)docs[i] >= (uint)documents)
                        throw new DataFormatException(_h5Path, 0, $"{idName}[{i}] is document number {(idSet.Type.Size == 8 ? wide![i] : docs[i])}, outside 0..{documents - 1} ({pkl} lists {documents} documents)");
                    if (i > 0 && docs[i] <= docs[i - 1])
                        sorted = false;
                    var v = weights[i];
                    if (!float.IsFinite(v) || v < 0)
                        throw new DataFormatException(_h5Path, 0, $"{ValuesPrefix}{k}[{i}] is {v.ToString(CultureInfo.InvariantCulture)}; weights must be finite and non-negative");
                }
                if (!sorted)
                {
                    // The reference appends documents in row order, so lists are sorted; other writers may not be.
                    Array.Sort(docs, weights, 0, n);
                    for (var i = 1; i < n; i++)
                    {
                        if (docs[i] == docs[i - 1])
                            throw new DataFormatException(_h5Path, 0, $"{idName} lists document number {docs[i]} twice");
                    }
                }
                writer.AddTerm(vocabulary[k], docs.AsSpan(0, n), weights.AsSpan(0, n));
                progress?.Report(n);
            }
        }
        catch (DiscoException e) when (e is not DataFormatException and not DuplicateDocumentIdException)
        {
            throw new DiscoException($"{_h5Path}: {e.Message}", e);
        }
        return writer.Complete();
    }

    public void Dispose()
    {
        _file.Dispose();
        _view?.Dispose();
        _map?.Dispose();
    }

    private void CheckDistribution()
    {
        var path = Path.Combine(Directory, DistributionFile);
        if (!File.Exists(path))
            return;
        Dictionary<string, long>? dist;
        try
        {
            dist = JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, 0, $"invalid JSON: {e.Message}");
        }
        foreach (var (key, expected) in dist ?? [])
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
                throw new DataFormatException(path, 0, $"\"{key}\" is not a vocabulary id");
            var actual = _lists.TryGetValue(k, out var list) ? list.Length : 0;
            if (actual != expected)
                throw new DataFormatException(path, 0, $"records {expected} postings for vocabulary id {k}, {ArrayFile} holds {actual}: the index is incomplete or from another build");
        }
    }

    private static void Read<T>(IH5Dataset dataset, Span<T> buffer) where T : unmanaged
    {
        if (dataset is NativeDataset native)
            native.Read(buffer);
        else
            dataset.Read<T[]>().AsSpan().CopyTo(buffer);
    }

    private static long Length(string path, IH5Dataset dataset, string name)
    {
        var dims = dataset.Space.Dimensions;
        if (dims.Length != 1)
            throw new DataFormatException(path, 0, $"{name} has {dims.Length} dimensions; expected a one-dimensional array");
        return dims[0] <= int.MaxValue ? (long)dims[0] : throw new DataFormatException(path, 0, $"{name} has {dims[0]} entries, more than one posting list can hold");
    }

    private static void CheckType(string path, IH5Dataset dataset, string name, H5DataTypeClass kind, string expected, int minSize, int maxSize)
    {
        var type = Hdf5(path, $"reading {name}", () => dataset.Type);
        if (type.Class != kind || type.Size < minSize || type.Size > maxSize)
            throw new DataFormatException(path, 0, $"{name} holds {type.Class} values of {type.Size} bytes; expected {expected}");
    }

    private static long ReadScalar(IH5Dataset dataset) =>
        dataset.Type.Class == H5DataTypeClass.FixedPoint ? dataset.Type.Size == 8 ? dataset.Read<long>() : dataset.Read<int>() : -1;

    /// <summary>Runs an HDF5 read; the library's exceptions (a truncated or damaged file) become one line naming the file.</summary>
    private static T Hdf5<T>(string path, string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not DiscoException)
        {
            throw Unreadable(path, what, e);
        }
    }

    private static void Hdf5(string path, string what, Action read) => Hdf5(path, what, () =>
    {
        read();
        return 0;
    });

    private static DataFormatException Unreadable(string path, string what, Exception e) =>
        new(path, 0, $"{what} failed, the file is truncated or damaged ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
    /// <summary>
    /// Refuses a file shorter than the end-of-file address its superblock records. PureHDF reads
    /// the memory map through raw pointers, so an offset past a truncated file's end is an access
    /// violation that kills the process instead of an exception; checking the recorded length
    /// first turns every truncation into a one-line error.
    /// </summary>
    private static void CheckNotTruncated(string h5)
    {
        using var stream = new FileStream(h5, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> block = stackalloc byte[64];
        var read = stream.ReadAtLeast(block, block.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];
        // The superblock sits at offset 0 in files h5py writes (no user block); a file without the
        // signature there is left to PureHDF, which searches further and reports its own error.
        if (read < 9 || !block[..8].SequenceEqual(signature))
        {
            if (read < 9)
                throw new DataFormatException(h5, 0, $"the file is truncated ({read} bytes, shorter than an HDF5 superblock)");
            return;
        }
        var version = block[8];
        int offsetSize, eofAt;
        switch (version)
        {
            case 0 or 1:
                // signature, 4 version bytes, reserved, sizes of offsets and lengths at 13 and 14,
                // reserved, two K values, flags; version 1 adds 4 bytes; then base, free-space and
                // end-of-file addresses.
                offsetSize = block[13];
                eofAt = 24 + (version == 1 ? 4 : 0) + 2 * offsetSize;
                break;
            case 2 or 3:
                // signature, version, sizes of offsets and lengths, flags; then base, extension and
                // end-of-file addresses.
                offsetSize = block[9];
                eofAt = 12 + 2 * offsetSize;
                break;
            default:
                return;
        }
        if (offsetSize is not (2 or 4 or 8))
            throw new DataFormatException(h5, 0, $"superblock: offset size {offsetSize} is not 2, 4 or 8");
        if (read < eofAt + offsetSize)
            throw new DataFormatException(h5, 0, $"the file is truncated ({read} bytes, inside the HDF5 superblock)");
        ulong end = 0;
        for (var i = offsetSize - 1; i >= 0; i--)
            end = (end << 8) | block[eofAt + i];
        var baseAddress = 0UL;
        var baseAt = version <= 1 ? 24 + (version == 1 ? 4 : 0) : 12;
        for (var i = offsetSize - 1; i >= 0; i--)
            baseAddress = (baseAddress << 8) | block[baseAt + i];
        var length = (ulong)stream.Length;
        if (end != ulong.MaxValue >> (64 - 8 * offsetSize) && baseAddress + end > length)
            throw new DataFormatException(h5, 0, $"the file is truncated: {length} bytes, its superblock records {baseAddress + end}");
    }
}
