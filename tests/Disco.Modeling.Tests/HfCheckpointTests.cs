using System.Text.Json.Nodes;
using Disco.Core;
using Disco.TestSupport;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Disco.Modeling.Tests;

public class HfCheckpointTests
{
    private static readonly Dictionary<string, float[]> Reference = LoadReference();

    private static Dictionary<string, float[]> LoadReference()
    {
        using var model = HfCheckpoint.Load(Fixtures.TinySplade, out _, null);
        return CheckpointCopies.Parameters(model);
    }

    private static void AssertParametersEqual(Dictionary<string, float[]> expected, MaskedLanguageModel model)
    {
        var actual = CheckpointCopies.Parameters(model);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
    }

    [Fact]
    public void Safetensors_and_pickle_checkpoints_hold_the_same_weights()
    {
        using var bin = HfCheckpoint.Load(Fixtures.TinySpladeBin, out var report, null);
        Assert.Equal(["pytorch_model.bin"], report.WeightFiles.Select(Path.GetFileName));
        AssertParametersEqual(Reference, bin);
    }

    [Fact]
    public void Parameter_names_are_huggingface_keys_and_the_decoder_is_the_word_embedding_matrix()
    {
        using var model = new BertForMaskedLM(BertConfig.FromDirectory(Fixtures.TinySplade));
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("bert.embeddings.word_embeddings.weight", names);
        Assert.Contains("bert.encoder.layer.1.attention.self.query.weight", names);
        Assert.Contains("bert.encoder.layer.0.attention.output.LayerNorm.bias", names);
        Assert.Contains("bert.encoder.layer.0.output.dense.weight", names);
        Assert.Contains("cls.predictions.transform.LayerNorm.weight", names);
        Assert.Contains("cls.predictions.bias", names);
        Assert.DoesNotContain(names, n => n.Contains("decoder", StringComparison.Ordinal));

        // Tied: the gradient of the logits reaches word-embedding rows of tokens absent from the input,
        // which only the decoder use can produce.
        using var ids = tensor(new long[] { 101, 2000, 102 }, [1, 3]);
        using var mask = ones_like(ids);
        using var logits = model.call(ids, mask);
        logits.select(2, 5000).sum().backward();
        using var row = model.WordEmbeddings.grad![5000];
        Assert.True(row.abs().sum().item<float>() > 0);
        using var input = model.WordEmbeddings.grad![2000];
        Assert.True(input.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Save_then_load_round_trips_exactly_and_is_readable_by_an_independent_safetensors_reader()
    {
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "saved");
        using (var model = HfCheckpoint.Load(Fixtures.TinySplade, out _, null))
            HfCheckpoint.Save(model, target, Fixtures.TinySplade);
        foreach (var name in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.True(File.Exists(Path.Combine(target, name)), name);
        using var loaded = HfCheckpoint.Load(target, out var report, null);
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        AssertParametersEqual(Reference, loaded);

        var independent = Safetensors.LoadStateDict(Path.Combine(target, "model.safetensors"));
        Assert.Contains("cls.predictions.bias", independent.Keys);
        Assert.DoesNotContain("cls.predictions.decoder.weight", independent.Keys);
        Assert.Equal(Reference["bert.embeddings.word_embeddings.weight"], independent["bert.embeddings.word_embeddings.weight"].data<float>().ToArray());
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(target, "config.json")))!;
        Assert.Equal("bert", config["model_type"]!.GetValue<string>());
        Assert.Equal(32, config["hidden_size"]!.GetValue<int>());
        Assert.Equal("BertForMaskedLM", config["architectures"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Half_precision_checkpoints_load_as_float32(ScalarType dtype)
    {
        using var dir = new TempDirectory();
        CheckpointCopies.Rewrite(Fixtures.TinySplade, dir.Path, ts => ts.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.to_type(dtype))));
        using var model = HfCheckpoint.Load(dir.Path, out var report, null);
        Assert.Equal([dtype.ToString()], report.StoredDTypes);
        var expected = Reference.ToDictionary(kv => kv.Key, kv => tensor(kv.Value).to_type(dtype).to_type(ScalarType.Float32).data<float>().ToArray());
        AssertParametersEqual(expected, model);
    }

    [Fact]
    public void Sharded_safetensors_load_through_the_index()
    {
        using var dir = new TempDirectory();
        CheckpointCopies.CopyDirectory(Fixtures.TinySplade, dir.Path);
        File.Delete(dir.File("model.safetensors"));
        var tensors = SafetensorsFile.Read(Path.Combine(Fixtures.TinySplade, "model.safetensors"));
        var keys = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var first = keys.Take(keys.Count / 2).ToList();
        var second = keys.Skip(keys.Count / 2).ToList();
        SafetensorsFile.Write(dir.File("model-00001-of-00002.safetensors"), first.Select(k => KeyValuePair.Create(k, tensors[k])));
        SafetensorsFile.Write(dir.File("model-00002-of-00002.safetensors"), second.Select(k => KeyValuePair.Create(k, tensors[k])));
        var map = new JsonObject();
        foreach (var k in first)
            map[k] = "model-00001-of-00002.safetensors";
        foreach (var k in second)
            map[k] = "model-00002-of-00002.safetensors";
        File.WriteAllText(dir.File("model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
        using var model = HfCheckpoint.Load(dir.Path, out var report, null);
        Assert.Equal(2, report.WeightFiles.Count);
        Assert.Empty(report.MissingKeys);
        AssertParametersEqual(Reference, model);
    }

    [Fact]
    public void Unprefixed_keys_legacy_layernorm_names_and_the_legacy_decoder_bias_load()
    {
        using var dir = new TempDirectory();
        static string Legacy(string key)
        {
            var k = key.StartsWith("bert.", StringComparison.Ordinal) ? key["bert.".Length..] : key;
            k = k.Replace("LayerNorm.weight", "LayerNorm.gamma", StringComparison.Ordinal).Replace("LayerNorm.bias", "LayerNorm.beta", StringComparison.Ordinal);
            return k == "cls.predictions.bias" ? "cls.predictions.decoder.bias" : k;
        }
        CheckpointCopies.Rewrite(Fixtures.TinySplade, dir.Path, ts => ts.Select(kv => KeyValuePair.Create(Legacy(kv.Key), kv.Value)));
        Assert.Contains("embeddings.LayerNorm.gamma", SafetensorsFile.Read(dir.File("model.safetensors")).Keys);
        using var model = HfCheckpoint.Load(dir.Path, out var report, null);
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        AssertParametersEqual(Reference, model);
    }

    [Fact]
    public void Missing_and_unexpected_keys_are_reported_as_huggingface_does()
    {
        using var dir = new TempDirectory();
        CheckpointCopies.Rewrite(Fixtures.TinySplade, dir.Path, ts => ts
            .Where(kv => kv.Key != "cls.predictions.transform.dense.bias")
            .Append(KeyValuePair.Create("cls.seq_relationship.weight", zeros(2, 32)))
            .Append(KeyValuePair.Create("bert.embeddings.position_ids", arange(512L).unsqueeze(0))));
        var warnings = new StringWriter();
        using var model = HfCheckpoint.Load(dir.Path, out var report, warnings);
        Assert.Equal(["cls.predictions.transform.dense.bias"], report.MissingKeys);
        Assert.Equal(["cls.seq_relationship.weight"], report.UnexpectedKeys);
        var lines = warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("warning: Some weights of the model checkpoint at", lines[0], StringComparison.Ordinal);
        Assert.Contains("[cls.seq_relationship.weight]", lines[0], StringComparison.Ordinal);
        Assert.Contains("newly initialized: [cls.predictions.transform.dense.bias]", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_safetensors_file_is_a_clear_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        CheckpointCopies.CopyDirectory(Fixtures.TinySplade, dir.Path);
        var path = dir.File("model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DiscoException>(() => HfCheckpoint.Load(dir.Path, out _, null));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, bytes[..100]);
        e = Assert.Throws<DiscoException>(() => HfCheckpoint.Load(dir.Path, out _, null));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_shape_that_disagrees_with_the_config_names_the_tensor_and_both_shapes()
    {
        using var dir = new TempDirectory();
        CheckpointCopies.CopyDirectory(Fixtures.TinySplade, dir.Path);
        var config = JsonNode.Parse(File.ReadAllText(dir.File("config.json")))!;
        config["intermediate_size"] = 48;
        File.WriteAllText(dir.File("config.json"), config.ToJsonString());
        var e = Assert.Throws<DiscoException>(() => HfCheckpoint.Load(dir.Path, out _, null));
        Assert.Contains("'bert.encoder.layer.0.intermediate.dense.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 32]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[48, 32]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_config_or_weights_are_clear_errors()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Fixtures.TinySplade, "model.safetensors"), dir.File("model.safetensors"));
        var e = Assert.Throws<DiscoException>(() => HfCheckpoint.Load(dir.Path, out _, null));
        Assert.Contains("config.json not found", e.Message, StringComparison.Ordinal);

        File.Delete(dir.File("model.safetensors"));
        File.Copy(Path.Combine(Fixtures.TinySplade, "config.json"), dir.File("config.json"));
        e = Assert.Throws<DiscoException>(() => HfCheckpoint.Load(dir.Path, out _, null));
        Assert.Contains("no weights found", e.Message, StringComparison.Ordinal);
    }
}
