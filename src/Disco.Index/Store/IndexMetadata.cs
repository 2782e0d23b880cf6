using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Index;

/// <summary>
/// The index's <c>meta.json</c>: format name and version, counts, impact encoding and scale, the
/// resolved build configuration, the size and CRC-32C of every other file, and its own checksum
/// (<c>metaCrc32C</c>). Written last, so a directory without it is never an index. Read strictly:
/// required members, no unknown ones, every value checked (docs/index-format.md).
/// </summary>
public sealed partial class IndexMetadata
{
    /// <summary>The member holding the checksum of the rest of meta.json.</summary>
    internal const string ChecksumMember = "metaCrc32C";

    /// <summary>Real metadata is a few KB; anything beyond this is not an index's.</summary>
    private const long MaxBytes = 16 << 20;

    private static readonly string[] RequiredMembers = ["format", "version", "documents", "terms", "postings", "blocks", "blockSize", "rangeBits", "impacts", "maxWeight", "files"];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A member this reader does not know may change what the index means: refuse it.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
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

    /// <summary>The structures of approximate search (own format name and version); absent without them.</summary>
    public AnnMetadata? Ann { get; set; }

    /// <summary>The block-max section (own format name and version); absent without it.</summary>
    public BlockMaxMetadata? BlockMax { get; set; }

    public Dictionary<string, string> Build { get; set; } = [];

    public Dictionary<string, IndexFileInfo> Files { get; set; } = [];

    /// <summary>Chunk checksums of the large files; absent in indexes written before they existed.</summary>
    public IntegrityMetadata? Integrity { get; set; }

    /// <summary>CRC-32C of the rest of meta.json (see docs/index-format.md); absent in indexes written before it existed.</summary>
    public string? MetaCrc32C { get; set; }

    [JsonIgnore]
    public ImpactEncoding ImpactEncoding => ImpactEncodingNames.Parse(Impacts) ?? throw new InvalidOperationException($"unknown impacts {Impacts}");

    [JsonIgnore]
    public DocumentOrder Order => DocumentOrder == "clustered" ? Index.DocumentOrder.Clustered : Index.DocumentOrder.Input;

    /// <summary>Chunk checksums of files recorded while writing, for checksums.bin.</summary>
    [JsonIgnore]
    internal Dictionary<string, IReadOnlyList<uint>> PendingChunks { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes checksums.bin (when the chunked files were recorded) and then meta.json, sealed with its checksum.</summary>
    internal void Write(string path)
    {
        IndexIntegrity.WriteChecksums(Path.GetDirectoryName(Path.GetFullPath(path))!, this);
        MetaCrc32C = null;
        var node = JsonSerializer.SerializeToNode(this, JsonOptions)!.AsObject();
        MetaCrc32C = Seal(node);
        AtomicFile.WriteAllText(path, node.ToJsonString(JsonOptions) + "\n");
    }

    /// <summary>
    /// Sets <c>metaCrc32C</c> to the CRC-32C of the object's compact JSON without that member, the
    /// form a reader recomputes after parsing (so whitespace does not matter, any value does).
    /// </summary>
    internal static string Seal(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Remove(ChecksumMember);
        var crc = Checksum(node);
        node[ChecksumMember] = crc;
        return crc;
    }

    private static string Checksum(JsonObject withoutChecksum) => IndexIntegrity.Hex(Crc32C.Compute(Encoding.UTF8.GetBytes(withoutChecksum.ToJsonString())));

    /// <summary>The bytes of meta.json, or null when the directory or the file does not exist.</summary>
    internal static byte[]? TryReadBytes(string directory)
    {
        var path = Path.Combine(directory, IndexFormat.MetaFile);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                return null;
            if (info.Length > MaxBytes)
                throw new DataFormatException(path, 0, $"{info.Length} bytes is larger than index metadata can be");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    internal static IndexMetadata Read(string directory)
        => Parse(TryReadBytes(directory) ?? throw NotAnIndex(directory), Path.Combine(directory, IndexFormat.MetaFile));

    /// <summary>The error for a directory without meta.json, with the recovery hint when an interrupted swap left the old index beside it.</summary>
    internal static DiscoException NotAnIndex(string directory)
    {
        if (!Directory.Exists(directory))
            return new DiscoException($"{directory}: index directory not found{AtomicDirectory.RecoveryHint(directory, IndexFormat.MetaFile)}");
        var hint = Directory.GetDirectories(Path.GetDirectoryName(Path.GetFullPath(directory)) ?? ".", Path.GetFileName(Path.GetFullPath(directory)) + ".old-*").Length > 0
            ? " (a replaced index was left beside it as .old-*: an earlier build was interrupted while swapping)"
            : "";
        return new DiscoException($"{directory}: not a Disco index (no {IndexFormat.MetaFile}){hint}");
    }

    internal static IndexMetadata Parse(byte[] bytes, string path)
    {
        var node = StrictJson.ParseObject(bytes, path);
        DataFormatException Bad(string problem) => new(path, 0, problem);
        if (node["format"]?.GetValueKind() is not JsonValueKind.String || node["format"]!.GetValue<string>() != IndexFormat.FormatName)
            throw Bad($"not a Disco index (format {node["format"]?.ToJsonString() ?? "missing"}, expected \"{IndexFormat.FormatName}\")");
        if (node[ChecksumMember] is { } sealNode)
        {
            if (sealNode.GetValueKind() != JsonValueKind.String)
                throw Bad($"\"{ChecksumMember}\" must be a string");
            var recorded = sealNode.GetValue<string>();
            var copy = node.DeepClone().AsObject();
            copy.Remove(ChecksumMember);
            var actual = Checksum(copy);
            if (recorded != actual)
                throw Bad($"checksum {actual} does not match the recorded {recorded}; the metadata was changed or damaged, rebuild the index");
        }
        else if (node.ContainsKey("integrity"))
        {
            throw Bad($"\"{ChecksumMember}\" is missing; the metadata was changed or damaged, rebuild the index");
        }
        foreach (var member in RequiredMembers)
        {
            if (node[member] is null)
                throw Bad($"\"{member}\" is missing; the metadata was changed or damaged, rebuild the index");
        }
        IndexMetadata meta;
        try
        {
            meta = node.Deserialize<IndexMetadata>(JsonOptions) ?? throw Bad("empty metadata");
        }
        catch (JsonException e)
        {
            throw Bad($"invalid index metadata: {e.Message}");
        }
        meta.Validate(path);
        return meta;
    }

    private void Validate(string path)
    {
        DataFormatException Bad(string problem) => new(path, 0, problem);
        if (Version != IndexFormat.Version)
            throw Bad($"index format version {Version} is not supported (this disco reads version {IndexFormat.Version}); rebuild the index with this disco");
        if (ImpactEncodingNames.Parse(Impacts) is not { } encoding)
            throw Bad($"unknown impact encoding \"{Impacts}\"");
        if (BlockSize != IndexFormat.BlockSize)
            throw Bad($"block size {BlockSize} is not supported (expected {IndexFormat.BlockSize})");
        if (RangeBits is < IndexFormat.MinRangeBits or > IndexFormat.MaxRangeBits)
            throw Bad($"range bits {RangeBits} are not supported (expected {IndexFormat.MinRangeBits} to {IndexFormat.MaxRangeBits})");
        if (Documents < 0 || Terms < 0 || Postings < 0 || Blocks < 0)
            throw Bad("negative counts");
        if (Blocks > Postings || Postings > (long)Documents * Math.Max(Terms, 1) || Blocks < (Postings + IndexFormat.BlockSize - 1) / IndexFormat.BlockSize)
            throw Bad($"{Postings} postings in {Blocks} blocks over {Documents} documents and {Terms} terms is impossible");
        if (!float.IsFinite(MaxWeight) || MaxWeight < 0)
            throw Bad($"maxWeight {MaxWeight} is not a finite non-negative number");
        if (encoding == ImpactEncoding.Float32)
        {
            if (Scale is not null)
                throw Bad("float32 impacts have no scale, but one is recorded");
        }
        else
        {
            // Every stored code is in [1, maxCode], so every weight must fit under maxCode × scale.
            if (Scale is not { } scale || !float.IsFinite(scale) || scale <= 0)
                throw Bad($"{Impacts} impacts need a positive finite scale, found {Scale?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
            if (MaxWeight > scale * IndexFormat.MaxCode(encoding) * (1 + 1e-6))
                throw Bad($"maxWeight {MaxWeight} does not fit {Impacts} codes at scale {scale}");
        }
        foreach (var name in new[] { IndexFormat.PostingsFile, IndexFormat.BlocksFile, IndexFormat.TermsFile, IndexFormat.DocIdsFile, IndexFormat.DocOffsetsFile })
        {
            if (!Files.ContainsKey(name))
                throw Bad($"{name} is not listed under \"files\"");
        }
        foreach (var (name, info) in Files)
        {
            if (info is null || info.Bytes < IndexFormat.HeaderBytes || info.Crc32C is null || !HexPattern().IsMatch(info.Crc32C) || !RelativePaths.IsPlain(name) || name.Contains('/', StringComparison.Ordinal))
                throw Bad($"the entry of \"{name}\" under \"files\" is invalid");
        }
        if (DocumentOrder is not (null or "input" or "clustered"))
            throw Bad($"unknown document order \"{DocumentOrder}\"");
        Ann?.Validate(path, Files);
        BlockMax?.Validate(path, Files, Documents);
        if (Integrity is { } integrity)
        {
            if (integrity.Version != IndexIntegrity.Version)
                throw Bad($"integrity version {integrity.Version} is not supported (this disco reads version {IndexIntegrity.Version})");
            if (integrity.ChunkBytes != IndexIntegrity.ChunkBytes)
                throw Bad($"chunk size {integrity.ChunkBytes} is not supported (expected {IndexIntegrity.ChunkBytes})");
            if (integrity.Files is null || integrity.Files.Distinct(StringComparer.Ordinal).Count() != integrity.Files.Count || integrity.Files.Any(f => !Files.ContainsKey(f) || f == IndexIntegrity.ChecksumsFile)
                || !IndexIntegrity.ChunkedFiles.All(integrity.Files.Contains) || !Files.ContainsKey(IndexIntegrity.ChecksumsFile))
                throw Bad("the \"integrity\" section does not match \"files\"");
        }
    }

    [GeneratedRegex("^[0-9a-f]{8}\\z")]
    private static partial Regex HexPattern();
}
