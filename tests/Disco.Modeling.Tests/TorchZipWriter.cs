using System.IO.Compression;
using System.Text;

namespace Disco.Modeling.Tests;

/// <summary>
/// Writes <c>torch.save</c>-style zip checkpoints by hand (pickle protocol 2 opcodes as
/// <c>pickle.py</c> defines them), so tests can craft valid and hostile <c>pytorch_model.bin</c>
/// files without Python.
/// </summary>
internal sealed class TorchZipWriter
{
    private readonly List<byte> _pickle = [];
    private readonly Dictionary<string, byte[]> _storages = new(StringComparer.Ordinal);

    public TorchZipWriter()
    {
        Op(0x80, 2); // PROTO 2
        Op((byte)'}'); // EMPTY_DICT
        Op((byte)'('); // MARK: the items that SETITEMS adds
    }

    /// <summary>When set, storages are deflated (torch stores them uncompressed).</summary>
    public bool CompressStorages { get; set; }

    public void Op(params byte[] bytes) => _pickle.AddRange(bytes);

    public void Unicode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Op((byte)'X');
        Op(BitConverter.GetBytes(bytes.Length));
        Op(bytes);
    }

    public void Int(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            Op((byte)'J');
            Op(BitConverter.GetBytes((int)value));
            return;
        }
        Op(0x8a, 8); // LONG1, 8 little-endian two's complement bytes
        Op(BitConverter.GetBytes(value));
    }

    public void Global(string module, string name) => Op([(byte)'c', .. Encoding.ASCII.GetBytes($"{module}\n{name}\n")]);

    public void Tuple(IEnumerable<long> values)
    {
        Op((byte)'(');
        foreach (var v in values)
            Int(v);
        Op((byte)'t');
    }

    /// <summary>Adds a storage entry <c>archive/data/&lt;key&gt;</c>.</summary>
    public void Storage(string key, byte[] bytes) => _storages[key] = bytes;

    /// <summary>Adds <c>name: _rebuild_tensor_v2(storage, offset, shape, stride, False, OrderedDict())</c>.</summary>
    public void Tensor(string name, string storageKey, long numel, long offset, long[] shape, long[] stride, string storageType = "FloatStorage", string rebuild = "_rebuild_tensor_v2")
    {
        Unicode(name);
        Global("torch._utils", rebuild);
        Op((byte)'(');
        Op((byte)'(');
        Unicode("storage");
        Global("torch", storageType);
        Unicode(storageKey);
        Unicode("cpu");
        Int(numel);
        Op((byte)'t', (byte)'Q'); // TUPLE, BINPERSID
        Int(offset);
        Tuple(shape);
        Tuple(stride);
        Op(0x89); // NEWFALSE
        Global("collections", "OrderedDict");
        Op((byte)')', (byte)'R'); // EMPTY_TUPLE, REDUCE
        Op((byte)'t', (byte)'R'); // TUPLE, REDUCE
    }

    /// <summary>A contiguous float32 tensor with its own storage.</summary>
    public void Floats(string name, float[] values, long[] shape)
    {
        var key = _storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Storage(key, [.. values.SelectMany(BitConverter.GetBytes)]);
        var stride = new long[shape.Length];
        long step = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            stride[i] = step;
            step *= shape[i];
        }
        Tensor(name, key, values.Length, 0, shape, stride);
    }

    /// <summary>Ends the pickle (SETITEMS, STOP) and writes the zip.</summary>
    public void Save(string path, bool stop = true)
    {
        Op((byte)'u');
        if (stop)
            Op((byte)'.');
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Add(string name, byte[] bytes, bool compress)
        {
            using var s = zip.CreateEntry(name, compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open();
            s.Write(bytes);
        }
        Add("archive/data.pkl", [.. _pickle], false);
        foreach (var (key, bytes) in _storages)
            Add($"archive/data/{key}", bytes, CompressStorages);
        Add("archive/version", "3\n"u8.ToArray(), false);
    }
}
