using System.Collections;
using System.IO.Compression;
using System.Numerics;
using Disco.Core;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Reads a <c>pytorch_model.bin</c> written by <c>torch.save(model.state_dict())</c> (the zip
/// format of PyTorch 1.6+) as untrusted input, like <c>torch.load(weights_only=True)</c>: the pickle
/// is interpreted by Razorvine.Pickle, which runs no code from the file (an unknown global becomes
/// an inert dictionary), and only the globals a state dict needs are given meaning
/// (<c>torch._utils._rebuild_tensor_v2</c>, the typed storages, <c>collections.OrderedDict</c>).
/// Every size is checked before anything is allocated: the pickle against a limit, each storage
/// against its archive entry (which must be stored uncompressed, as torch writes it, so its size is
/// bounded by the file's), each tensor's shape, strides and offset against its storage.
/// </summary>
public static class TorchCheckpointFile
{
    /// <summary>A BERT-base state dict pickles to ~20 KB; 64 MB allows for models with very many tensors.</summary>
    public const long MaxPickleBytes = 64 << 20;

    private static readonly Dictionary<string, (ScalarType Type, int Size)> Storages = new(StringComparer.Ordinal)
    {
        ["DoubleStorage"] = (ScalarType.Float64, 8),
        ["FloatStorage"] = (ScalarType.Float32, 4),
        ["HalfStorage"] = (ScalarType.Float16, 2),
        ["BFloat16Storage"] = (ScalarType.BFloat16, 2),
        ["LongStorage"] = (ScalarType.Int64, 8),
        ["IntStorage"] = (ScalarType.Int32, 4),
        ["ShortStorage"] = (ScalarType.Int16, 2),
        ["CharStorage"] = (ScalarType.Int8, 1),
        ["ByteStorage"] = (ScalarType.Byte, 1),
        ["BoolStorage"] = (ScalarType.Bool, 1),
    };

    static TorchCheckpointFile()
    {
        // Razorvine's constructor table is process-wide. These constructors accept only the
        // storage references this reader's persistentLoad makes, so a table changed by other code
        // makes loading fail loudly instead of reading tensors another way.
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", new TensorConstructor());
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", new TensorConstructor());
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", new RefusedConstructor("the file holds nn.Parameter objects (a whole model?); save model.state_dict() instead"));
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v3", new RefusedConstructor("a tensor dtype without a classic storage type is not supported"));
        Unpickler.registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
    }

    /// <summary>Reads every tensor of the state dict (in its stored dtype) into contiguous CPU tensors the caller owns.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        DiscoException Bad(string problem) => new($"{path}: {problem}");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4)
            throw Bad("not a PyTorch zip checkpoint (files from torch.save before PyTorch 1.6 are not supported; re-save it, or convert it to safetensors)");
        stream.Position = 0;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw Bad($"damaged zip archive: {e.Message}");
        }
        using (archive)
        {
            var pickles = archive.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
            if (pickles.Count != 1)
                throw Bad($"expected one <name>/data.pkl in the archive, found {pickles.Count}");
            var pickle = pickles[0];
            if (pickle.Length > MaxPickleBytes)
                throw Bad($"data.pkl has {pickle.Length} bytes, more than the {MaxPickleBytes} a state dict needs");
            var prefix = pickle.FullName[..^"data.pkl".Length];
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
                entries.TryAdd(entry.FullName, entry);
            object root;
            try
            {
                var bytes = ReadEntry(pickle, pickle.Length, path);
                using var unpickler = new StateDictUnpickler(prefix, entries);
                root = unpickler.loads(bytes);
            }
            catch (DiscoException e)
            {
                throw Bad(e.Message);
            }
            catch (Exception e) when (e is PickleException or InvalidCastException or IndexOutOfRangeException or ArgumentException or InvalidOperationException or NullReferenceException or OverflowException or FormatException or InvalidDataException or IOException)
            {
                throw Bad($"cannot read the pickled state dict ({Unwrap(e).GetType().Name}: {Unwrap(e).Message})");
            }
            if (root is not Hashtable table)
                throw Bad($"the pickle holds a {Describe(root)}, not a state dict; expected a file saved with torch.save(model.state_dict())");
            return Materialize(table, path);
        }
    }

    /// <summary>Razorvine wraps what fails inside a BUILD; the inner exception says what.</summary>
    private static Exception Unwrap(Exception e) => e is PickleException { InnerException: { } inner } ? Unwrap(inner) : e;

    private static Dictionary<string, Tensor> Materialize(Hashtable table, string path)
    {
        var storages = new Dictionary<StorageRef, byte[]>();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (DictionaryEntry item in table)
            {
                if (item.Key is not string key)
                    throw new DiscoException($"{path}: a state dict key is a {Describe(item.Key)}, not a string");
                if (item.Value is not TensorRef t)
                    throw new DiscoException($"{path}: entry '{key}' is a {Describe(item.Value)}, not a tensor; expected a state_dict saved with torch.save(model.state_dict())");
                t.Check(path, key);
                if (!storages.TryGetValue(t.Storage, out var data))
                {
                    if (t.Storage.ByteLength > Array.MaxLength)
                        throw new DiscoException($"{path}: storage {t.Storage.Key} has {t.Storage.ByteLength} bytes; storages over 2 GB are not supported");
                    data = ReadEntry(t.Storage.Entry, t.Storage.ByteLength, path);
                    storages[t.Storage] = data;
                }
                result[key] = t.Build(data);
            }
        }
        catch
        {
            foreach (var tensor in result.Values)
                tensor.Dispose();
            throw;
        }
        return result;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, long length, string path)
    {
        var bytes = new byte[length];
        using var data = entry.Open();
        if (data.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length || data.ReadByte() != -1)
            throw new DiscoException($"{path}: archive entry {entry.FullName} does not hold the {length} bytes it declares");
        return bytes;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        ClassDict c => $"Python object {c.ClassName}",
        _ => value.GetType().Name,
    };

    private static long Integer(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        _ => throw new DiscoException($"{what} is a {Describe(value)}, not an integer"),
    };

    private static long[] Integers(object? value, string what)
        => value is object[] items ? [.. items.Select(i => Integer(i, what))] : throw new DiscoException($"{what} is a {Describe(value)}, not a tuple");

    /// <summary>A storage of the archive: <c>&lt;prefix&gt;data/&lt;key&gt;</c>, numel elements of one dtype.</summary>
    private sealed record StorageRef(string Key, ZipArchiveEntry Entry, ScalarType Type, int ElementSize, long Numel)
    {
        public long ByteLength => Numel * ElementSize;
    }

    /// <summary>What <c>_rebuild_tensor_v2(storage, offset, size, stride, ...)</c> describes, not yet read.</summary>
    private sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Stride)
    {
        public void Check(string path, string key)
        {
            DiscoException Bad(string problem) => new($"{path}: tensor '{key}': {problem}");
            if (Shape.Length != Stride.Length)
                throw Bad($"shape [{string.Join(", ", Shape)}] and stride [{string.Join(", ", Stride)}] differ in length");
            if (Offset < 0 || Shape.Any(d => d < 0) || Stride.Any(s => s < 0))
                throw Bad("negative offset, size or stride");
            if (Shape.Contains(0))
            {
                if (Offset > Storage.Numel)
                    throw Bad($"offset {Offset} is past the end of its {Storage.Numel}-element storage");
                return;
            }
            // The last element a view reaches; all of them must lie inside the storage.
            long last;
            try
            {
                last = checked(Offset + Shape.Zip(Stride).Sum(p => checked((p.First - 1) * p.Second)));
            }
            catch (OverflowException)
            {
                throw Bad($"shape [{string.Join(", ", Shape)}] is too large");
            }
            if (last >= Storage.Numel)
                throw Bad($"shape [{string.Join(", ", Shape)}], stride [{string.Join(", ", Stride)}] and offset {Offset} reach element {last} of a {Storage.Numel}-element storage");
        }

        public Tensor Build(byte[] storage)
        {
            using var flat = empty(Storage.Numel, Storage.Type);
            if (storage.Length > 0)
                flat.bytes = storage;
            using var view = flat.as_strided(Shape, Stride, Offset);
            return view.contiguous().clone();
        }
    }

    private sealed class StateDictUnpickler(string prefix, Dictionary<string, ZipArchiveEntry> entries) : Unpickler
    {
        protected override object persistentLoad(object pid)
        {
            // torch.save's persistent ids: ("storage", <storage class>, key, location, numel).
            if (pid is not object[] { Length: 5 } id || id[0] is not "storage")
                throw new DiscoException($"unknown persistent id {Describe(pid)}");
            if (id[1] is not ClassDictConstructor { module: "torch" } type || !Storages.TryGetValue(type.name, out var dtype))
                throw new DiscoException($"unsupported storage type {(id[1] as ClassDictConstructor)?.name ?? Describe(id[1])}");
            if (id[2] is not string key || key.Length == 0 || key.Length > 64 || !key.All(char.IsAsciiLetterOrDigit))
                throw new DiscoException($"storage key {Describe(id[2])} is not a plain name");
            var numel = Integer(id[4], "a storage's element count");
            if (!entries.TryGetValue($"{prefix}data/{key}", out var entry))
                throw new DiscoException($"storage {key} is not in the archive");
            if (numel < 0 || numel > long.MaxValue / dtype.Size || entry.Length != numel * dtype.Size)
                throw new DiscoException($"storage {key} should hold {numel} {type.name} elements but its archive entry has {entry.Length} bytes");
            if (entry.CompressedLength != entry.Length)
                throw new DiscoException($"storage {key} is compressed in the archive; torch.save stores storages uncompressed");
            return new StorageRef(key, entry, dtype.Type, dtype.Size, numel);
        }
    }

    private sealed class TensorConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args is not { Length: >= 4 } || args[0] is not StorageRef storage)
                throw new DiscoException("a tensor is not built from one of the archive's storages");
            return new TensorRef(storage, Integer(args[1], "a storage offset"), Integers(args[2], "a tensor size"), Integers(args[3], "a tensor stride"));
        }
    }

    private sealed class RefusedConstructor(string reason) : IObjectConstructor
    {
        public object construct(object[] args) => throw new DiscoException(reason);
    }

    /// <summary>State dicts are pickled as <c>collections.OrderedDict</c>, whose <c>_metadata</c> state is dropped.</summary>
    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new StateDict();
    }

    private sealed class StateDict : Hashtable
    {
        // Called by the unpickler's BUILD with the dict's attributes (torch's _metadata); nothing in them is kept.
#pragma warning disable CA1822, IDE1006 // the unpickler looks this method up by name, on the instance
        public void __setstate__(Hashtable state) => _ = state;
#pragma warning restore CA1822, IDE1006
    }
}
