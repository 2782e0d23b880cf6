using System.Text;
using System.Text.Json.Nodes;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

/// <summary>config.json is untrusted input: wrong types, impossible or enormous sizes and malformed JSON are one-line errors before anything is built.</summary>
public sealed class ConfigValidationTests
{
    [Theory]
    [InlineData("""{"num_hidden_layers": 1000000}""", "\"num_hidden_layers\" must be between 1 and 1024, got 1000000")]
    [InlineData("""{"num_hidden_layers": 0}""", "\"num_hidden_layers\" must be between 1 and 1024, got 0")]
    [InlineData("""{"hidden_size": 1099511627776}""", "\"hidden_size\" must be between 1 and 32768, got 1099511627776")]
    [InlineData("""{"vocab_size": -5}""", "\"vocab_size\" must be between 1 and 4194304, got -5")]
    [InlineData("""{"intermediate_size": 768.5}""", "\"intermediate_size\" must be an integer, got 768.5")]
    [InlineData("""{"vocab_size": "30522"}""", "\"vocab_size\" must be an integer, got \"30522\"")]
    [InlineData("""{"num_attention_heads": true}""", "\"num_attention_heads\" must be an integer, got true")]
    [InlineData("""{"layer_norm_eps": -1}""", "\"layer_norm_eps\" must be greater than 0 and at most 1, got -1")]
    [InlineData("""{"layer_norm_eps": 0}""", "\"layer_norm_eps\" must be greater than 0 and at most 1, got 0")]
    [InlineData("""{"layer_norm_eps": 1e400}""", "\"layer_norm_eps\" must be greater than 0 and at most 1, got 1e400")]
    [InlineData("""{"layer_norm_eps": "1e-12"}""", "\"layer_norm_eps\" must be a number, got \"1e-12\"")]
    [InlineData("""{"hidden_dropout_prob": 1.5}""", "\"hidden_dropout_prob\" must be at least 0 and at most 1, got 1.5")]
    [InlineData("""{"hidden_dropout_prob": 1}""", "dropout probabilities must be in [0, 1)")]
    [InlineData("""{"pad_token_id": 40000}""", "pad_token_id 40000 is not a token of the 30522-token vocabulary")]
    [InlineData("""{"model_type": 7}""", "\"model_type\" must be a string, got 7")]
    [InlineData("""{"hidden_size": 32, "hidden_size": 64}""", "Duplicate property 'hidden_size'")]
    [InlineData("""{"hidden_size": 32} {"hidden_size": 64}""", "invalid JSON")]
    [InlineData("""{"hidden_size": 32768, "num_hidden_layers": 1024, "intermediate_size": 131072, "num_attention_heads": 256}""", "the model would need")]
    public void ImpossibleOrHostileConfigsAreOneLineErrors(string json, string expected)
    {
        var e = Assert.ThrowsAny<DiscoException>(() => BertConfig.FromJson(json, "cfg.json"));
        Assert.StartsWith("cfg.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TheParameterCountIsBertForMaskedLMs()
    {
        // The tiny fixture: its model's parameters, counted by TorchSharp.
        var config = BertConfig.FromDirectory(Fixtures.TinySplade);
        using var model = new BertForMaskedLM(config);
        Assert.Equal(model.parameters().Sum(p => p.numel()), config.ParameterCount);
        // BERT-base with its MLM head: 109.5M (HF: 109,514,298).
        Assert.Equal(109_514_298, new BertConfig().ParameterCount);
    }

    [Fact]
    public void TheMemoryCheckComparesWithWhatIsAvailable()
    {
        var e = Assert.Throws<DataFormatException>(() => ModelLimits.CheckParameterMemory(1_000_000_000, "c.json", availableBytes: 2_000_000_000));
        Assert.Equal("c.json: the model would need 4.0 GB for its 1000000000 parameters, more than the 2.0 GB available; check the sizes in the config", e.Message);
        ModelLimits.CheckParameterMemory(400_000_000, "c.json", availableBytes: 2_000_000_000);
    }

    [Fact]
    public void ConfigFilesAreStrictUtf8WithAnOptionalBom()
    {
        using var dir = new TempDirectory();
        var json = File.ReadAllBytes(Path.Combine(Fixtures.TinySplade, "config.json"));
        File.WriteAllBytes(dir.File("config.json"), [.. Encoding.UTF8.Preamble, .. json]);
        Assert.Equal(32, BertConfig.FromDirectory(dir.Path).HiddenSize);

        var text = Encoding.UTF8.GetString(json).Replace("\"bert\"", "\"be\u00e9rt\"", StringComparison.Ordinal);
        var bad = Encoding.UTF8.GetBytes(text);
        var at = Array.IndexOf(bad, (byte)0xC3);
        bad[at + 1] = (byte)'x';
        File.WriteAllBytes(dir.File("config.json"), bad);
        var e = Assert.Throws<DataFormatException>(() => BertConfig.FromDirectory(dir.Path));
        var line = Encoding.UTF8.GetString(bad[..at]).Count(c => c == '\n') + 1;
        Assert.Equal($"{dir.File("config.json")}:{line}: invalid UTF-8 (byte 0xc3 at offset {at})", e.Message);
    }

    [Fact]
    public void AnOversizedConfigIsRefusedBeforeItIsRead()
    {
        using var dir = new TempDirectory();
        using (var f = File.Create(dir.File("config.json")))
            f.SetLength(HfConfigReader.MaxBytes + 1);
        var e = Assert.Throws<DataFormatException>(() => BertConfig.FromDirectory(dir.Path));
        Assert.Contains("is larger than the 16777216 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReaderIsReusableForOtherArchitectures()
    {
        // A DistilBERT-style config read with the same checks.
        var reader = HfConfigReader.Parse("""{"model_type": "distilbert", "dim": 768, "n_layers": 6, "dropout": 0.1}""", "d.json");
        Assert.Equal("distilbert", reader.Text("model_type", "bert"));
        Assert.Equal(768, reader.WholeNumber("dim", 0, 1, ModelLimits.MaxHiddenSize));
        Assert.Equal(12, reader.WholeNumber("n_heads", 12, 1, ModelLimits.MaxAttentionHeads));
        Assert.Equal(0.1, reader.Number("dropout", 0, 0, 1));
        var e = Assert.Throws<DataFormatException>(() => reader.WholeNumber("n_layers", 6, 1, 4));
        Assert.Equal("d.json: \"n_layers\" must be between 1 and 4, got 6", e.Message);
        Assert.IsType<JsonObject>(reader.Raw);
    }
}
