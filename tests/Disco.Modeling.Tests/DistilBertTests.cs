using System.Text.Json;
using Disco.Core.Vectors;
using Disco.TestSupport;
using static TorchSharp.torch;

namespace Disco.Modeling.Tests;

/// <summary>
/// The tiny DistilBertForMaskedLM of tests/fixtures/tiny-distilbert against the golden vectors that
/// tests/fixtures/scripts/make_tiny_distilbert.py computed with its own DistilBERT (float64).
/// </summary>
public class DistilBertTests
{
    private sealed record Golden(string Id, string? Text, int[] Ids, SparseVector Max, SparseVector? Sum);

    private static IEnumerable<Golden> Read(string name) =>
        File.ReadLines(Path.Combine(Fixtures.TinyDistilBert, name)).Where(l => l.Length > 0).Select(l =>
        {
            var e = JsonDocument.Parse(l).RootElement;
            return new Golden(
                e.GetProperty("id").GetString()!,
                e.TryGetProperty("flattened", out var f) ? f.GetString() : null,
                [.. e.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32())],
                Vector(e.GetProperty("max")),
                e.TryGetProperty("sum", out var s) ? Vector(s) : null);
        });

    private static SparseVector Vector(JsonElement e) => new(
        [.. e.GetProperty("indices").EnumerateArray().Select(x => x.GetInt32())],
        [.. e.GetProperty("values").EnumerateArray().Select(x => x.GetSingle())]);

    [Fact]
    public void Loads_with_huggingface_key_names_and_a_tied_vocab_projector()
    {
        using var model = HfCheckpoint.Load(Fixtures.TinyDistilBert, out var report, null);
        Assert.IsType<DistilBertForMaskedLM>(model);
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        Assert.Equal("DistilBertForMaskedLM", report.Architecture);
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("distilbert.transformer.layer.1.attention.q_lin.weight", names);
        Assert.Contains("distilbert.transformer.layer.0.sa_layer_norm.bias", names);
        Assert.Contains("distilbert.transformer.layer.0.ffn.lin2.weight", names);
        Assert.Contains("vocab_layer_norm.weight", names);
        Assert.Contains("vocab_projector.bias", names);
        Assert.DoesNotContain("vocab_projector.weight", names);
        Assert.DoesNotContain(names, n => n.Contains("token_type", StringComparison.Ordinal));
    }

    [Fact]
    public void Documents_match_the_golden_max_and_sum_vectors()
    {
        using var model = HfCheckpoint.Load(Fixtures.TinyDistilBert, out _, null);
        foreach (var doc in Read("golden_documents.jsonl"))
        {
            VectorAssert.Close(doc.Max, ModelRunner.Represent(model, [doc.Ids], SpladeAggregation.Max)[0], $"{doc.Id} max");
            VectorAssert.Close(doc.Sum!, ModelRunner.Represent(model, [doc.Ids], SpladeAggregation.Sum)[0], $"{doc.Id} sum");
        }
    }

    [Fact]
    public void The_encoder_reproduces_the_golden_conversations_from_text()
    {
        using var encoder = SpladeEncoder.Load(Fixtures.TinyDistilBert, new SpladeEncoderOptions(BatchSize: 5));
        var cases = Read("golden_conversations.jsonl").ToList();
        var vectors = encoder.Encode([.. cases.Select(c => c.Text!)]);
        for (var i = 0; i < cases.Count; i++)
            VectorAssert.Close(cases[i].Max, vectors[i], cases[i].Id);
    }

    [Fact]
    public void Save_writes_the_same_layout_and_round_trips_exactly()
    {
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "saved");
        using var original = HfCheckpoint.Load(Fixtures.TinyDistilBert, out _, null);
        HfCheckpoint.Save(original, target, Fixtures.TinyDistilBert);
        var stored = SafetensorsFile.Read(Path.Combine(target, "model.safetensors"));
        var expected = SafetensorsFile.Read(Path.Combine(Fixtures.TinyDistilBert, "model.safetensors"));
        try
        {
            // The file holds exactly HF's keys: the tied vocab_projector.weight is left out, as save_pretrained does.
            Assert.Equal(expected.Keys.Order(), stored.Keys.Order());
            foreach (var (key, tensor) in expected)
                Assert.True(tensor.data<float>().ToArray().AsSpan().SequenceEqual(stored[key].data<float>().ToArray()), key);
        }
        finally
        {
            foreach (var t in stored.Values.Concat(expected.Values))
                t.Dispose();
        }
        using var loaded = HfCheckpoint.Load(target, out var report, null);
        Assert.IsType<DistilBertForMaskedLM>(loaded);
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
    }

    [Fact]
    public void A_bare_distilbert_model_checkpoint_loads_and_reports_the_missing_head()
    {
        using var dir = new TempDirectory();
        var bare = Path.Combine(dir.Path, "bare");
        CheckpointCopies.Rewrite(Fixtures.TinyDistilBert, bare, tensors => tensors
            .Where(kv => kv.Key.StartsWith("distilbert.", StringComparison.Ordinal))
            .Select(kv => new KeyValuePair<string, Tensor>(kv.Key["distilbert.".Length..], kv.Value)));
        var warnings = new StringWriter();
        using var model = HfCheckpoint.Load(bare, out var report, warnings);
        Assert.Equal(["vocab_layer_norm.bias", "vocab_layer_norm.weight", "vocab_projector.bias", "vocab_transform.bias", "vocab_transform.weight"], report.MissingKeys.Order());
        Assert.Empty(report.UnexpectedKeys);
        Assert.Contains("Some weights of DistilBertForMaskedLM were not initialized", warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Training_mode_dropout_override_keeps_the_architecture()
    {
        using var model = HfCheckpoint.Load(Fixtures.TinyDistilBert, out _, null);
        using var rebuilt = MaskedLmArchitectures.Create(model.Config.WithDropout(0.0));
        Assert.IsType<DistilBertForMaskedLM>(rebuilt);
        Assert.Equal(0.0, rebuilt.Config.HiddenDropoutProb);
        Assert.Equal(model.named_parameters().Select(p => p.name), rebuilt.named_parameters().Select(p => p.name));
    }
}
