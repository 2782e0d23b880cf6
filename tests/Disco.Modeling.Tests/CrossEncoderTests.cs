using System.Text.Json;
using Disco.Core;
using Disco.Core.Reranking;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

public class CrossEncoderTests
{
    private sealed record GoldenPair(string Query, string Doc, int MaxLength, int[] InputIds, int[] TokenTypeIds, double Logit);

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static List<GoldenPair> Pairs(string fixture) => [.. File.ReadLines(Path.Combine(fixture, "golden_pairs.jsonl"))
        .Select(l => JsonSerializer.Deserialize<GoldenPair>(l, SnakeCase)!)];

    private static readonly Dictionary<string, string> Texts = GoldenRecords.Documents.ToDictionary(d => d.Id, d => d.Text)
        .Concat(GoldenRecords.Conversations.Select(c => KeyValuePair.Create(c.Id, c.Flattened))).ToDictionary();

    /// <summary>BertForSequenceClassification and DistilBertForSequenceClassification, each against its own independent reference.</summary>
    [Theory]
    [InlineData("tiny-cross-encoder", typeof(BertForSequenceClassification))]
    [InlineData("tiny-distilbert-cross-encoder", typeof(DistilBertForSequenceClassification))]
    public void Pairs_encode_and_score_as_the_independent_reference(string fixtureName, Type architecture)
    {
        var fixture = Fixtures.RepoFixture(fixtureName);
        foreach (var group in Pairs(fixture).GroupBy(p => p.MaxLength))
        {
            // A batch size that does not divide the pair count, so padding and the last short batch are both exercised.
            using var encoder = CrossEncoder.Load(fixture, new CrossEncoderOptions(group.Key, BatchSize: 13));
            Assert.IsType(architecture, encoder.Model);
            var rows = group.ToList();
            var pairs = rows.Select(p => new QueryPassagePair(Texts[p.Query], Texts[p.Doc])).ToList();
            for (var i = 0; i < rows.Count; i++)
            {
                var encoded = encoder.Encode(pairs[i]);
                var where = $"{rows[i].Query}/{rows[i].Doc} at {group.Key}";
                Assert.True(rows[i].InputIds.SequenceEqual(encoded.Ids), $"{where}: ids differ");
                Assert.Equal(rows[i].TokenTypeIds.Count(t => t == 0), encoded.FirstSegmentLength);
            }
            var scores = encoder.Score(pairs);
            for (var i = 0; i < rows.Count; i++)
                Assert.True(Math.Abs(scores[i] - rows[i].Logit) <= 1e-4 + (1e-4 * Math.Abs(rows[i].Logit)), $"{rows[i].Query}/{rows[i].Doc} at {group.Key}: {scores[i]} vs {rows[i].Logit}");
        }
    }

    [Fact]
    public void A_masked_lm_checkpoint_is_refused_for_scoring_and_becomes_a_cross_encoder_for_training()
    {
        var error = Assert.Throws<DiscoException>(() => CrossEncoderCheckpoint.Load(Fixtures.TinySplade, out _));
        Assert.Contains("one label", error.Message, StringComparison.Ordinal);

        using var temp = new TempDirectory();
        using (var model = CrossEncoderCheckpoint.LoadForTraining(Fixtures.TinySplade, out var report))
        {
            // The classifier is new (this checkpoint keeps BERT's pooler); the MLM head is simply not used.
            Assert.Equal(["classifier.bias", "classifier.weight"], report.MissingKeys.Order(StringComparer.Ordinal));
            Assert.Empty(report.UnexpectedKeys);
            CrossEncoderCheckpoint.Save(model, temp.Path, Fixtures.TinySplade);
        }
        Assert.Equal(1, CrossEncoderCheckpoint.LabelCount(temp.Path));
        using var reloaded = CrossEncoder.Load(temp.Path);
        var pair = new QueryPassagePair("what is a cross-encoder?", "It reads the query and the passage together.");
        Assert.True(float.IsFinite(reloaded.Score([pair])[0]));
    }

    [Theory]
    [InlineData("tiny-cross-encoder")]
    [InlineData("tiny-distilbert-cross-encoder")]
    public void Saving_and_loading_keeps_the_scores(string fixtureName)
    {
        var fixture = Fixtures.RepoFixture(fixtureName);
        using var temp = new TempDirectory();
        using var original = CrossEncoder.Load(fixture);
        CrossEncoderCheckpoint.Save(original.Model, temp.Path, fixture);
        using var reloaded = CrossEncoder.Load(temp.Path);
        var pairs = GoldenRecords.Documents.Take(5).Select(d => new QueryPassagePair("sunglasses price", d.Text)).ToList();
        Assert.Equal(original.Score(pairs), reloaded.Score(pairs));
    }

    [Fact]
    public void A_distilbert_cross_encoder_saves_in_the_huggingface_layout_it_was_read_from()
    {
        using var temp = new TempDirectory();
        using (var model = CrossEncoderCheckpoint.Load(Fixtures.TinyDistilBertCrossEncoder, out var report))
        {
            Assert.Empty(report.Warnings);
            CrossEncoderCheckpoint.Save(model, temp.Path, Fixtures.TinyDistilBertCrossEncoder);
        }
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "config.json"))).RootElement;
        Assert.Equal("distilbert", config.GetProperty("model_type").GetString());
        Assert.Equal(["DistilBertForSequenceClassification"], config.GetProperty("architectures").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.3, config.GetProperty("seq_classif_dropout").GetDouble());
        Assert.Equal(1, CrossEncoderCheckpoint.LabelCount(temp.Path));
        // The same tensor names as the independent script wrote (HuggingFace's).
        Assert.Equal(SafetensorsFile.ReadHeader(Path.Combine(Fixtures.TinyDistilBertCrossEncoder, "model.safetensors")).Select(t => t.Name).Order(StringComparer.Ordinal),
            SafetensorsFile.ReadHeader(Path.Combine(temp.Path, "model.safetensors")).Select(t => t.Name).Order(StringComparer.Ordinal));

        // Without model_type, architectures names the family (as HuggingFace's auto classes fall back to the class name).
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Path, "config.json")))!.AsObject();
        json.Remove("model_type");
        File.WriteAllText(Path.Combine(temp.Path, "config.json"), json.ToJsonString());
        using var reloaded = CrossEncoder.Load(temp.Path);
        Assert.IsType<DistilBertForSequenceClassification>(reloaded.Model);
    }

    [Fact]
    public void A_distilbert_masked_lm_is_refused_for_scoring_and_becomes_a_cross_encoder_for_training()
    {
        var error = Assert.Throws<DiscoException>(() => CrossEncoderCheckpoint.Load(Fixtures.TinyDistilBert, out _));
        Assert.Contains("one label", error.Message, StringComparison.Ordinal);

        using var model = CrossEncoderCheckpoint.LoadForTraining(Fixtures.TinyDistilBert, out var report);
        Assert.IsType<DistilBertForSequenceClassification>(model);
        // The head is new; the MLM head (vocab_transform, vocab_layer_norm, vocab_projector) is simply not used.
        Assert.Equal(["classifier.bias", "classifier.weight", "pre_classifier.bias", "pre_classifier.weight"], report.MissingKeys.Order(StringComparer.Ordinal));
        Assert.Empty(report.UnexpectedKeys);
    }
}
