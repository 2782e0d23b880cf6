using System.Text.Json;
using System.Text.Json.Serialization;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Index;

/// <summary>
/// The index's <c>meta.json</c>: format name and version, counts, impact encoding and scale, the
/// resolved build configuration, and the size and CRC-32C of every other file. Written last, so a
/// directory without it is never an index.
/// </summary>
public sealed class IndexMetadata
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Format { get; set; } = IndexFormat.FormatName;

    public int Version { get; set; } = IndexFormat.Version;

    public int Documents { get; set; }

    public int Terms { get; set; }

    public long Postings { get; set; }

    public long Blocks { get; set; }

    public int BlockSize { get; set; } = IndexFormat.BlockSize;

    /// <summary>Blocks never cross a range of 2^RangeBits documents.</summary>
    public int RangeBits { get; set; } = IndexFormat.DefaultRangeBits;

    /// <summary>"float32", "uint16" or "uint8".</summary>
    public string Impacts { get; set; } = "float32";

    /// <summary>Quantized impacts decode as <c>code * Scale</c>; absent for float32.</summary>
    public float? Scale { get; set; }

    /// <summary>Largest document weight seen in the input.</summary>
    public float MaxWeight { get; set; }

    /// <summary>"input" or "clustered" (<see cref="Index.DocumentOrder"/>); absent in indexes built before reordering existed, which are in input order.</summary>
    public string? DocumentOrder { get; set; }

    /// <summary>Static pruning applied at build time and what it removed; absent when nothing was pruned.</summary>
    public PruningMetadata? Pruning { get; set; }

    /// <summary>The block-max structures of approximate search (own format version); absent without them.</summary>
    public AnnMetadata? Ann { get; set; }

    public Dictionary<string, string> Build { get; set; } = [];

    public Dictionary<string, IndexFileInfo> Files { get; set; } = [];

    [JsonIgnore]
    public ImpactEncoding ImpactEncoding => ImpactEncodingNames.Parse(Impacts) ?? throw new InvalidOperationException($"unknown impacts {Impacts}");

    [JsonIgnore]
    public DocumentOrder Order => DocumentOrder == "clustered" ? Index.DocumentOrder.Clustered : Index.DocumentOrder.Input;

    internal void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");

    internal static IndexMetadata Read(string directory)
    {
        var path = Path.Combine(directory, IndexFormat.MetaFile);
        if (!Directory.Exists(directory))
            throw new DiscoException($"{directory}: index directory not found");
        if (!File.Exists(path))
        {
            var hint = Directory.GetDirectories(Path.GetDirectoryName(Path.GetFullPath(directory)) ?? ".", Path.GetFileName(Path.GetFullPath(directory)) + ".old-*").Length > 0
                ? " (a replaced index was left beside it as .old-*: an earlier build was interrupted while swapping)"
                : "";
            throw new DiscoException($"{directory}: not a Disco index (no {IndexFormat.MetaFile}){hint}");
        }
        IndexMetadata? meta;
        try
        {
            meta = JsonSerializer.Deserialize<IndexMetadata>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, 0, $"invalid index metadata: {e.Message}");
        }
        if (meta is null || meta.Format != IndexFormat.FormatName)
            throw new DataFormatException(path, 0, $"not a Disco index (format \"{meta?.Format}\", expected \"{IndexFormat.FormatName}\")");
        if (meta.Version != IndexFormat.Version)
            throw new DataFormatException(path, 0, $"index format version {meta.Version} is not supported (this disco reads version {IndexFormat.Version}); rebuild the index with this disco");
        if (ImpactEncodingNames.Parse(meta.Impacts) is null)
            throw new DataFormatException(path, 0, $"unknown impact encoding \"{meta.Impacts}\"");
        if (meta.BlockSize != IndexFormat.BlockSize)
            throw new DataFormatException(path, 0, $"block size {meta.BlockSize} is not supported (expected {IndexFormat.BlockSize})");
        if (meta.RangeBits is < IndexFormat.MinRangeBits or > IndexFormat.MaxRangeBits)
            throw new DataFormatException(path, 0, $"range bits {meta.RangeBits} are not supported (expected {IndexFormat.MinRangeBits} to {IndexFormat.MaxRangeBits})");
        if (meta.Documents < 0 || meta.Terms < 0 || meta.Postings < 0)
            throw new DataFormatException(path, 0, "negative counts");
        if (meta.DocumentOrder is not (null or "input" or "clustered"))
            throw new DataFormatException(path, 0, $"unknown document order \"{meta.DocumentOrder}\"");
        meta.Ann?.Validate(path);
        return meta;
    }
}
