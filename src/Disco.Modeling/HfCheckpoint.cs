using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.IO;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Reads and writes HuggingFace masked-language-model directories (docs/checkpoints.md) of every
/// architecture in <see cref="MaskedLmArchitectures"/> (<c>BertForMaskedLM</c>, <c>DistilBertForMaskedLM</c>):
/// <c>config.json</c> plus <c>model.safetensors</c> (single or sharded) or <c>pytorch_model.bin</c>.
/// </summary>
public static class HfCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string SafetensorsFile = "model.safetensors";
    public const string SafetensorsIndexFile = "model.safetensors.index.json";
    public const string PyTorchFile = "pytorch_model.bin";
    public const string PyTorchIndexFile = "pytorch_model.bin.index.json";

    /// <summary>Tokenizer files copied next to saved weights when a tokenizer directory is given.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles = ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"];

    /// <summary>Loads the model; HuggingFace's missing/unexpected-key warnings go to <paramref name="warnings"/> (null: nowhere).</summary>
    public static MaskedLanguageModel Load(string modelDir, out CheckpointLoadReport report, TextWriter? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        var config = MaskedLmConfig.FromDirectory(modelDir);
        var architecture = MaskedLmArchitectures.ForModelType(config.ModelType, config.Source);
        var files = WeightFiles(modelDir);
        TorchThreads.EnsureConfigured();
        var model = architecture.Create(config);
        try
        {
            report = LoadInto(model, modelDir, files, new KeyRules(architecture.CanonicalName, architecture.IsIgnored, architecture.LegacyNames), architecture.ClassName);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        Warn(report, warnings);
        model.eval();
        return model;
    }

    /// <summary>How stored keys map onto a model's parameters (an architecture's rules, or a head's variant of them).</summary>
    /// <param name="CanonicalName">The parameter name a stored key means.</param>
    /// <param name="IsIgnored">Canonical names dropped without a warning.</param>
    /// <param name="LegacyNames">Parameter → older name, used only when the current name is absent.</param>
    internal sealed record KeyRules(Func<string, string> CanonicalName, Func<string, bool> IsIgnored, IReadOnlyDictionary<string, string> LegacyNames);

    /// <summary>Writes a load report's warnings, one line each, to <paramref name="warnings"/> (null: nowhere).</summary>
    internal static void Warn(CheckpointLoadReport report, TextWriter? warnings)
    {
        if (warnings is null)
            return;
        foreach (var line in report.Warnings)
            warnings.WriteLine($"warning: {line}");
    }

    /// <summary>Copies the tensors of <paramref name="files"/> into <paramref name="model"/>'s parameters by HuggingFace name.</summary>
    /// <param name="architecture">HuggingFace's class name of the model, for the report's warnings.</param>
    internal static CheckpointLoadReport LoadInto(nn.Module model, string modelDir, IReadOnlyList<string> files, KeyRules rules, string architecture)
    {
        var stored = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var origin = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var file in files)
            {
                foreach (var (key, tensor) in ReadWeights(file))
                {
                    if (!stored.TryAdd(key, tensor))
                    {
                        tensor.Dispose();
                        throw new DiscoException($"{file}: tensor '{key}' also appears in {origin[key]}");
                    }
                    origin[key] = file;
                }
            }
            return Apply(rules, model, stored, modelDir, files, origin, architecture);
        }
        finally
        {
            foreach (var t in stored.Values)
                t.Dispose();
        }
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c> (float32, HuggingFace key names, the tied
    /// decoder weight omitted as <c>save_pretrained</c> does) into <paramref name="modelDir"/>, and copies
    /// the tokenizer files found in <paramref name="tokenizerDir"/> when it is given.
    /// </summary>
    public static void Save(MaskedLanguageModel model, string modelDir, string? tokenizerDir = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Save(model, model.Config.ToJson(), modelDir, tokenizerDir);
    }

    /// <summary>Writes any module's parameters (float32, HF names) with <paramref name="configJson"/> as config.json.</summary>
    internal static void Save(nn.Module model, string configJson, string modelDir, string? tokenizerDir)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(modelDir);
        Directory.CreateDirectory(modelDir);
        var parameters = model.named_parameters().ToList();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            foreach (var (name, p) in parameters)
                tensors.Add(new(name, p.detach().to_type(ScalarType.Float32)));
            Disco.Modeling.SafetensorsFile.Write(Path.Combine(modelDir, SafetensorsFile), tensors);
        }
        finally
        {
            foreach (var (_, t) in tensors)
                t.Dispose();
        }
        AtomicFile.WriteAllText(Path.Combine(modelDir, ConfigFile), configJson);
        if (tokenizerDir is not null)
            CopyTokenizerFiles(tokenizerDir, modelDir);
    }

    /// <summary>Copies the tokenizer files of <paramref name="tokenizerDir"/> that exist into <paramref name="modelDir"/>.</summary>
    public static void CopyTokenizerFiles(string tokenizerDir, string modelDir)
    {
        ArgumentNullException.ThrowIfNull(tokenizerDir);
        ArgumentNullException.ThrowIfNull(modelDir);
        if (Path.GetFullPath(tokenizerDir) == Path.GetFullPath(modelDir))
            return;
        foreach (var name in TokenizerFiles)
        {
            var source = Path.Combine(tokenizerDir, name);
            if (File.Exists(source))
                AtomicFile.Write(Path.Combine(modelDir, name), s => { using var f = File.OpenRead(source); f.CopyTo(s); });
        }
    }

    /// <summary>The weight files of a model directory, in the order HuggingFace prefers them.</summary>
    public static IReadOnlyList<string> WeightFiles(string modelDir)
    {
        var single = Path.Combine(modelDir, SafetensorsFile);
        if (File.Exists(single))
            return [single];
        foreach (var index in new[] { SafetensorsIndexFile, PyTorchIndexFile })
        {
            var path = Path.Combine(modelDir, index);
            if (File.Exists(path))
                return ShardsOf(path, modelDir);
        }
        var bin = Path.Combine(modelDir, PyTorchFile);
        if (File.Exists(bin))
            return [bin];
        throw new DiscoException($"{modelDir}: no weights found (expected {SafetensorsFile}, {SafetensorsIndexFile}, {PyTorchFile} or {PyTorchIndexFile})");
    }

    private static List<string> ShardsOf(string indexPath, string modelDir)
    {
        if (StrictJson.ReadObjectFile(indexPath, HfConfigReader.MaxBytes)["weight_map"] is not JsonObject map)
            throw new DiscoException($"{indexPath}: missing \"weight_map\"");
        // Shard names come with the model: only plain names below the model folder are read.
        var shards = map.Select(kv => kv.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var name && RelativePaths.IsPlain(name)
                ? name
                : throw new DiscoException($"{indexPath}: weight_map entry '{kv.Key}' is not a plain relative file name"))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => Path.Combine(modelDir, name)).ToList();
        foreach (var shard in shards)
        {
            if (!File.Exists(shard))
                throw new DiscoException($"{indexPath}: shard {Path.GetFileName(shard)} not found");
        }
        return shards;
    }

    private static Dictionary<string, Tensor> ReadWeights(string file)
    {
        return file.EndsWith(".safetensors", StringComparison.Ordinal)
            ? Disco.Modeling.SafetensorsFile.Read(file)
            : TorchCheckpointFile.Read(file);
    }

    private static CheckpointLoadReport Apply(KeyRules rules, nn.Module model, Dictionary<string, Tensor> stored, string modelDir, IReadOnlyList<string> files, Dictionary<string, string> origin, string architecture)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        var legacy = rules.LegacyNames.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var key in stored.Keys)
        {
            var canonical = rules.CanonicalName(key);
            if (rules.IsIgnored(canonical) || legacy.Contains(canonical))
                continue;
            if (!byName.TryAdd(canonical, key))
                unexpected.Add(key);
        }
        // Older checkpoints store some tensors under former names (BERT's decoder bias under the decoder).
        foreach (var (name, oldName) in rules.LegacyNames)
        {
            var old = stored.Keys.FirstOrDefault(k => rules.CanonicalName(k) == oldName);
            if (old is not null && !byName.ContainsKey(name))
                byName[name] = old;
        }

        var missing = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (!byName.TryGetValue(name, out var key))
                {
                    missing.Add(name);
                    continue;
                }
                var tensor = stored[key];
                if (!tensor.shape.SequenceEqual(parameter.shape))
                {
                    throw new DiscoException(
                        $"{origin[key]}: tensor '{key}' has shape [{string.Join(", ", tensor.shape)}] but config.json implies [{string.Join(", ", parameter.shape)}] for {name}");
                }
                if (!tensor.is_floating_point())
                    throw new DiscoException($"{origin[key]}: tensor '{key}' has dtype {tensor.dtype}, expected a floating-point type");
                parameter.copy_(tensor);
                used.Add(key);
            }
        }
        foreach (var (name, key) in byName)
        {
            if (!used.Contains(key) && !unexpected.Contains(key))
                unexpected.Add(key);
        }
        unexpected.Sort(StringComparer.Ordinal);
        var dtypes = stored.Values.Select(t => t.dtype.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();
        return new CheckpointLoadReport(modelDir, files, missing, unexpected, dtypes, architecture);
    }
}
