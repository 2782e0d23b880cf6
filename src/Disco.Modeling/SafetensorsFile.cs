using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.IO;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}</c> and the raw
/// little-endian tensor bytes, offsets relative to the end of the header.
/// </summary>
public static class SafetensorsFile
{
    private static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F64"] = ScalarType.Float64,
        ["F32"] = ScalarType.Float32,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16,
        ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte,
        ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>The safetensors format's own limit on the header (the reference reader refuses larger ones).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Reads and validates the header as the reference implementation does, and more strictly: the
    /// header is strict UTF-8 JSON starting with <c>{</c>, without duplicate names; each tensor has a
    /// known dtype, a shape of non-negative integers, and offsets whose span is exactly the shape's
    /// byte size; sorted by offset the tensors tile the data section with no gap or overlap and end
    /// at the end of the file. Nothing is allocated from a size before it has been checked against
    /// the file's length. Errors name the file and the tensor.
    /// </summary>
    public static IReadOnlyList<SafetensorsTensorInfo> ReadHeader(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadHeader(stream, path, out _);
    }

    private static List<SafetensorsTensorInfo> ReadHeader(FileStream stream, string path, out long dataStart)
    {
        var fileLength = stream.Length;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw new DiscoException($"{path}: truncated safetensors file ({fileLength} bytes, shorter than the 8-byte header length)");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new DiscoException($"{path}: truncated or not a safetensors file (header length {headerLength} but the file has {fileLength} bytes)");
        if (headerLength > MaxHeaderBytes)
            throw new DiscoException($"{path}: safetensors header of {headerLength} bytes is larger than the format's limit of {MaxHeaderBytes}");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        if (headerBytes.Length == 0 || headerBytes[0] != (byte)'{')
            throw new DiscoException($"{path}: safetensors header does not start with '{{'");
        JsonObject header;
        try
        {
            header = StrictJson.ParseObject(headerBytes, path);
        }
        catch (DataFormatException e)
        {
            throw new DiscoException($"{path}: corrupt safetensors header: {e.Message[(path.Length + 2)..]}", e);
        }
        dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;
        var tensors = new List<SafetensorsTensorInfo>(header.Count);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is not JsonObject meta || meta.Any(m => m.Value?.GetValueKind() != JsonValueKind.String))
                    throw new DiscoException($"{path}: __metadata__ must be an object of strings");
                continue;
            }
            tensors.Add(TensorInfo(path, name, node));
        }
        // The reference reader's rule: in offset order each tensor starts where the previous one
        // ended, and the last ends where the file does, so no bytes are shared, skipped or left over.
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expectedBegin = 0;
        foreach (var t in tensors)
        {
            if (t.Begin != expectedBegin)
            {
                throw new DiscoException(t.Begin < expectedBegin
                    ? $"{path}: tensor '{t.Name}' (bytes {t.Begin}..{t.End}) overlaps the tensor before it, which ends at {expectedBegin}"
                    : $"{path}: tensor '{t.Name}' starts at byte {t.Begin} but the tensor before it ends at {expectedBegin} (the data section must have no gaps)");
            }
            expectedBegin = t.End;
        }
        if (expectedBegin > dataLength)
            throw new DiscoException($"{path}: truncated file: the tensors need {expectedBegin} bytes of data but the file holds only {dataLength}");
        if (expectedBegin < dataLength)
            throw new DiscoException($"{path}: {dataLength - expectedBegin} bytes after the last tensor belong to no tensor");
        return tensors;
    }

    private static SafetensorsTensorInfo TensorInfo(string path, string name, JsonNode? node)
    {
        DiscoException Bad(string problem) => new($"{path}: tensor '{name}': {problem}");
        if (node is not JsonObject entry)
            throw Bad("header entry is not an object");
        if (entry["dtype"] is not { } dtypeNode || dtypeNode.GetValueKind() != JsonValueKind.String)
            throw Bad("\"dtype\" must be a string");
        var dtypeName = dtypeNode.GetValue<string>();
        if (!DTypes.TryGetValue(dtypeName, out var dtype))
            throw Bad($"unsupported dtype {dtypeName} (supported: {string.Join(", ", DTypes.Keys)})");
        if (entry["shape"] is not JsonArray shapeNode)
            throw Bad("\"shape\" must be an array");
        var shape = new long[shapeNode.Count];
        for (var i = 0; i < shape.Length; i++)
        {
            if (!NonNegativeInteger(shapeNode[i], out shape[i]))
                throw Bad($"\"shape\" must hold non-negative integers, got {shapeNode.ToJsonString()}");
        }
        if (entry["data_offsets"] is not JsonArray { Count: 2 } offsets || !NonNegativeInteger(offsets[0], out var begin) || !NonNegativeInteger(offsets[1], out var end))
            throw Bad("\"data_offsets\" must be two non-negative integers");
        if (end < begin)
            throw Bad($"data_offsets [{begin}, {end}] end before they begin");
        // The byte size from the shape, with overflow caught: a huge shape can never match offsets
        // that lie inside the file, so it is refused here instead of being allocated.
        long bytes;
        try
        {
            bytes = shape.Contains(0) ? 0 : checked(shape.Aggregate(1L, (p, d) => checked(p * d)) * ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw Bad($"shape [{string.Join(", ", shape)}] is too large");
        }
        if (end - begin != bytes)
            throw Bad($"{dtypeName} [{string.Join(", ", shape)}] takes {bytes} bytes but its data_offsets span {end - begin}");
        return new SafetensorsTensorInfo(name, dtypeName, shape, begin, end);
    }

    private static bool NonNegativeInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is not null && node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out value) && value >= 0;
    }

    private static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    /// <summary>Reads every tensor of the file (in its stored dtype) into CPU tensors the caller owns; the header is validated first (<see cref="ReadHeader(string)"/>).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var header = ReadHeader(stream, path, out var dataStart);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in header)
            {
                if (info.ByteLength > Array.MaxLength)
                    throw new DiscoException($"{path}: tensor '{info.Name}' has {info.ByteLength} bytes; tensors over 2 GB are not supported");
                var tensor = empty([.. info.Shape], DTypes[info.DType]);
                result[info.Name] = tensor;
                if (info.ByteLength > 0)
                {
                    var bytes = new byte[info.ByteLength];
                    stream.Seek(dataStart + info.Begin, SeekOrigin.Begin);
                    stream.ReadExactly(bytes);
                    tensor.bytes = bytes;
                }
            }
        }
        catch
        {
            foreach (var t in result.Values)
                t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// Writes the tensors (in their own dtypes, in the given order) atomically; metadata defaults to
    /// <c>{"format": "pt"}</c>, which HuggingFace transformers requires.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var items = tensors.ToList();
        var header = new JsonObject();
        var meta = new JsonObject();
        foreach (var (k, v) in metadata ?? new Dictionary<string, string> { ["format"] = "pt" })
            meta[k] = v;
        header["__metadata__"] = meta;
        long offset = 0;
        foreach (var (name, tensor) in items)
        {
            var size = tensor.NumberOfElements * tensor.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = DTypeName(tensor.dtype, name),
                ["shape"] = new JsonArray([.. tensor.shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        // The format pads the header with spaces so the data section starts 8-byte aligned.
        var padded = (headerBytes.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
            stream.Write(lengthBytes);
            stream.Write(headerBytes);
            for (var i = headerBytes.Length; i < padded; i++)
                stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in items)
            {
                using var contiguous = tensor.detach().cpu().contiguous();
                stream.Write(contiguous.bytes);
            }
        });
    }

    private static string DTypeName(ScalarType dtype, string name)
    {
        foreach (var (k, v) in DTypes)
        {
            if (v == dtype)
                return k;
        }
        throw new ArgumentException($"tensor '{name}' has dtype {dtype}, which safetensors cannot store here");
    }
}
