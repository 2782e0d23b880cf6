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

    /// <summary>Reads every tensor of the file (in its stored dtype) into CPU tensors the caller owns.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var fileLength = stream.Length;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw new DiscoException($"{path}: truncated safetensors file ({fileLength} bytes, shorter than the 8-byte header length)");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8) || headerLength > 100_000_000)
            throw new DiscoException($"{path}: truncated or not a safetensors file (header length {headerLength} but the file has {fileLength} bytes)");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new DiscoException($"{path}: safetensors header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new DiscoException($"{path}: corrupt safetensors header: {e.Message}");
        }
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__")
                    continue;
                var entry = node as JsonObject ?? throw new DiscoException($"{path}: header entry '{name}' is not an object");
                var dtypeName = entry["dtype"]?.GetValue<string>() ?? throw new DiscoException($"{path}: tensor '{name}' has no dtype");
                if (!DTypes.TryGetValue(dtypeName, out var dtype))
                    throw new DiscoException($"{path}: tensor '{name}' has unsupported dtype {dtypeName}");
                var shape = (entry["shape"] as JsonArray ?? throw new DiscoException($"{path}: tensor '{name}' has no shape"))
                    .Select(d => d!.GetValue<long>()).ToArray();
                var offsets = entry["data_offsets"] as JsonArray;
                if (offsets is not { Count: 2 })
                    throw new DiscoException($"{path}: tensor '{name}' has no data_offsets");
                var begin = offsets[0]!.GetValue<long>();
                var end = offsets[1]!.GetValue<long>();
                if (end > dataLength)
                    throw new DiscoException($"{path}: truncated file: tensor '{name}' needs bytes {begin}..{end} of the data section, which holds only {dataLength}");
                var tensor = empty(shape, dtype);
                var expected = tensor.NumberOfElements * tensor.ElementSize;
                if (end - begin != expected)
                {
                    tensor.Dispose();
                    throw new DiscoException($"{path}: tensor '{name}' ({dtypeName} [{string.Join(", ", shape)}]) should take {expected} bytes but its offsets span {end - begin}");
                }
                result[name] = tensor;
                if (expected > 0)
                {
                    var bytes = new byte[expected];
                    stream.Seek(dataStart + begin, SeekOrigin.Begin);
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
