using Disco.Core;
using Disco.Core.Texts;
using Disco.Core.Vectors;

namespace Disco.Index;

// Streaming index builds from a vectors JSONL file or from a collection and an encoder.
public sealed partial class IndexBuilder
{
    /// <summary>Documents per encoder call when encoding as we go; bounds memory, not speed.</summary>
    public const int EncodeChunk = 1024;

    public static IndexMetadata FromVectors(string vectorsPath, string outputDirectory, IndexBuildOptions? options = null, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(vectorsPath);
        return FromVectors([vectorsPath], outputDirectory, options, progress);
    }

    /// <summary>
    /// Indexes vectors files and folders of them (<see cref="VectorInputs"/>: Disco's vectors JSONL
    /// or Anserini's JsonVectorCollection) in the order given, folders in natural name order, so
    /// the shards of a collection give the index one pass over it gives. Document ids must be
    /// unique across all inputs.
    /// </summary>
    public static IndexMetadata FromVectors(IReadOnlyList<string> vectorPaths, string outputDirectory, IndexBuildOptions? options = null, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(vectorPaths);
        var files = VectorInputs.Expand(vectorPaths);
        using var builder = new IndexBuilder(outputDirectory, options);
        builder.BuildInfo["source"] = "vectors";
        builder.BuildInfo["vectors"] = string.Join(";", vectorPaths.Select(Path.GetFullPath));
        if (files.Count > 1)
            builder.BuildInfo["vectorFiles"] = files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var file in files)
        {
            builder.BeginSource(file, record => VectorInputs.DescribeRecord(file, record));
            foreach (var (vector, position) in VectorInputs.Read(file))
            {
                try
                {
                    builder.Add(vector);
                }
                catch (DiscoException e) when (e is not DataFormatException and not DuplicateDocumentIdException)
                {
                    throw new DataFormatException(file, position, e.Message);
                }
                progress?.Report(1);
            }
        }
        return builder.Complete();
    }

    /// <summary>Indexes vectors given in memory (or streamed by the caller), in order: the first is document 0.</summary>
    public static IndexMetadata FromVectors(IEnumerable<TermVector> vectors, string outputDirectory, IndexBuildOptions? options = null, IProgress<long>? progress = null, IReadOnlyDictionary<string, string>? buildInfo = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        using var builder = new IndexBuilder(outputDirectory, options);
        AddInfo(builder, "vectors", buildInfo);
        foreach (var vector in vectors)
        {
            builder.Add(vector);
            progress?.Report(1);
        }
        return builder.Complete();
    }

    /// <summary>Encodes a collection (TSV id&lt;TAB&gt;text or JSONL) chunk by chunk and indexes it.</summary>
    public static IndexMetadata FromCollection(string collectionPath, ISparseEncoder encoder, string outputDirectory, IndexBuildOptions? options = null, IProgress<long>? progress = null, IReadOnlyDictionary<string, string>? buildInfo = null)
    {
        ArgumentNullException.ThrowIfNull(collectionPath);
        var info = new Dictionary<string, string> { ["source"] = "collection", ["collection"] = Path.GetFullPath(collectionPath) };
        foreach (var (k, v) in buildInfo ?? new Dictionary<string, string>())
            info[k] = v;
        return FromRecords(TextRecordFile.Read(collectionPath), encoder, outputDirectory, options, progress, info);
    }

    /// <summary>
    /// Encodes texts given in memory (or streamed by the caller) chunk by chunk and indexes them, in
    /// order: the first is document 0.
    /// </summary>
    public static IndexMetadata FromRecords(IEnumerable<TextRecord> records, ISparseEncoder encoder, string outputDirectory, IndexBuildOptions? options = null, IProgress<long>? progress = null, IReadOnlyDictionary<string, string>? buildInfo = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(encoder);
        using var builder = new IndexBuilder(outputDirectory, options);
        AddInfo(builder, "records", buildInfo);
        var name = buildInfo?.GetValueOrDefault("collection") ?? "input";
        builder.BeginSource(name, record => $"{name} record {record + 1}");
        var vocabulary = encoder.Vocabulary;
        var chunk = new List<TextRecord>(EncodeChunk);
        void Flush()
        {
            var vectors = encoder.Encode([.. chunk.Select(r => r.Text)]);
            for (var i = 0; i < chunk.Count; i++)
                builder.Add(chunk[i].Id, vectors[i], vocabulary);
            progress?.Report(chunk.Count);
            chunk.Clear();
        }
        foreach (var record in records)
        {
            chunk.Add(record);
            if (chunk.Count == EncodeChunk)
                Flush();
        }
        if (chunk.Count > 0)
            Flush();
        return builder.Complete();
    }

    /// <summary>Provenance in meta.json: the source kind first, then the caller's entries (which may replace it).</summary>
    private static void AddInfo(IndexBuilder builder, string source, IReadOnlyDictionary<string, string>? buildInfo)
    {
        builder.BuildInfo["source"] = source;
        foreach (var (k, v) in buildInfo ?? new Dictionary<string, string>())
            builder.BuildInfo[k] = v;
    }
}
