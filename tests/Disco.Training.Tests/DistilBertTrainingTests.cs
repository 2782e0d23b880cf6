using System.Buffers.Binary;
using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;
using Disco.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

/// <summary>
/// Both recipes start from a DistilBERT SPLADE (issue 12: a DiSCo query encoder can start from
/// one). Each trains a few steps on one fixed batch with dropout off, so the loss must fall; the
/// saved checkpoint must have the fixture's tensors (names, dtypes, shapes read from the
/// safetensors header, not through our loader) and reload to the encodings of the trained model.
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class DistilBertTrainingTests
{
    private const int MaxLength = 32;
    private const int Steps = 3;

    [Fact]
    public void DiscoTrainsADistilBertQueryEncoderThatSavesInTheFixtureLayoutAndReloadsIdentically()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        // Both queries in one batch with all three negatives: every step sees the same batch.
        var loop = DiscoTrainingOptions.DefaultLoop with { OutputDir = dir.File("out"), BatchSize = 2, LearningRate = 1e-3, WarmupRatio = 0, MaxSteps = Steps };
        var options = data.Disco(loop) with
        {
            QueryModelDir = Fixtures.TinyDistilBert,
            Negatives = 3,
            Window = new RankWindow(0, 1000),
            Dropout = 0,
            MaxLength = MaxLength,
        };
        var texts = Queries(golden);
        float[] trained;
        using (var recipe = new DiscoRecipe(options))
        {
            Train.Run(recipe, loop);
            trained = Represent(recipe.QueryEncoder, texts);
        }

        var output = dir.File("out");
        AssertLossFalls(output);
        AssertFixtureLayout(Path.Combine(output, "model", "query"));
        AssertFixtureLayout(Path.Combine(output, "model"));
        Assert.Equal(trained, Reload(Path.Combine(output, "model", "query"), texts));
        // The frozen document encoder is saved unchanged, the query encoder is not.
        var original = Reload(Fixtures.TinyDistilBert, texts);
        Assert.Equal(original, Reload(Path.Combine(output, "model"), texts));
        Assert.NotEqual(original, trained);
        var state = TrainerState.Read(CheckpointLayout.Checkpoint(output, Steps));
        Assert.Equal(Steps, state.Step);
        Assert.Equal(DiscoRecipe.RecipeName, state.Recipe);
    }

    [Fact]
    public void SpladeTrainsADistilBertWithItsNormsExemptFromDecayAndSavesInTheFixtureLayout()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var texts = Queries(golden);
        // Two fixed triplets (query, first candidate, second candidate), one batch per step.
        var triplets = dir.File("triplets.tsv");
        File.WriteAllLines(triplets, golden.RootElement.GetProperty("batch").EnumerateArray().Select(b =>
        {
            var docs = b.GetProperty("docs");
            return $"{b.GetProperty("query").GetString()}\t{docs[0].GetString()}\t{docs[1].GetString()}";
        }));
        var loop = SpladeTrainingOptions.DefaultLoop with { OutputDir = dir.File("out"), BatchSize = 2, LearningRate = 1e-3, MaxSteps = Steps };
        var options = new SpladeTrainingOptions { TripletsPath = triplets, ModelDir = Fixtures.TinyDistilBert, Dropout = 0, MaxLength = MaxLength, Loop = loop };
        float[] trained;
        using (var recipe = new SpladeRecipe(options))
        {
            // DistilBERT names its norms sa_layer_norm, output_layer_norm, vocab_layer_norm: they are
            // found by module type, as HuggingFace's Trainer does.
            using (var optimizer = TrainingOptimizer.Create(recipe.Trainable, 1e-3, 0.01))
            {
                var exempt = optimizer.ParamGroups.Cast<AdamW.ParamGroup>().Single(g => g.Options.weight_decay == 0).Parameters.ToHashSet();
                foreach (var (name, parameter) in recipe.Trainable.named_parameters())
                {
                    var isNorm = name.Contains("layer_norm", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal);
                    Assert.True((isNorm || name.EndsWith(".bias", StringComparison.Ordinal)) == exempt.Contains(parameter), name);
                }
            }
            Train.Run(recipe, loop);
            trained = Represent(recipe.Encoder, texts);
        }

        var output = dir.File("out");
        AssertLossFalls(output);
        AssertFixtureLayout(Path.Combine(output, "model"));
        Assert.Equal(trained, Reload(Path.Combine(output, "model"), texts));
        Assert.NotEqual(Reload(Fixtures.TinyDistilBert, texts), trained);
        using var encoder = SpladeEncoder.Load(Path.Combine(output, "model"), new SpladeEncoderOptions(MaxLength: MaxLength));
        Assert.IsType<DistilBertForMaskedLM>(encoder.Model);
    }

    private static string[] Queries(JsonDocument golden) =>
        [.. golden.RootElement.GetProperty("batch").EnumerateArray().Select(b => b.GetProperty("query").GetString()!)];

    private static float[] Represent(RepresentationEncoder encoder, string[] texts)
    {
        using var noGrad = no_grad();
        encoder.Model.eval();
        using var representation = encoder.Represent(texts);
        return representation.data<float>().ToArray();
    }

    /// <summary>Representations by the checkpoint in <paramref name="modelDir"/>, loaded from disk.</summary>
    private static float[] Reload(string modelDir, string[] texts)
    {
        using var model = HfCheckpoint.Load(modelDir, out var report, null);
        Assert.Empty(report.Warnings);
        return Represent(new RepresentationEncoder(model, WordPieceTokenizer.FromDirectory(modelDir), MaxLength, CPU), texts);
    }

    private static void AssertLossFalls(string output)
    {
        double[] losses = [.. File.ReadLines(Path.Combine(output, "log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("loss", out _)).Select(e => e.GetProperty("loss").GetDouble())];
        Assert.Equal(Steps, losses.Length);
        TestContext.Current.TestOutputHelper?.WriteLine($"loss {string.Join(" → ", losses)}");
        Assert.True(losses[^1] < losses[0], $"loss {string.Join(" → ", losses)}");
    }

    /// <summary>The saved model has the fixture's architecture and exactly its tensors (HF layout: no decoder weight).</summary>
    private static void AssertFixtureLayout(string modelDir)
    {
        Assert.Equal(Tensors(Fixtures.TinyDistilBert), Tensors(modelDir));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "config.json")));
        Assert.Equal("distilbert", config.RootElement.GetProperty("model_type").GetString());
        Assert.Equal(32, config.RootElement.GetProperty("dim").GetInt32());
        Assert.True(File.Exists(Path.Combine(modelDir, "vocab.txt")));
    }

    /// <summary>name → "dtype [shape]" from the safetensors header (8-byte little-endian length, then JSON).</summary>
    private static SortedDictionary<string, string> Tensors(string modelDir)
    {
        using var file = File.OpenRead(Path.Combine(modelDir, "model.safetensors"));
        Span<byte> length = stackalloc byte[8];
        file.ReadExactly(length);
        var header = new byte[checked((int)BinaryPrimitives.ReadUInt64LittleEndian(length))];
        file.ReadExactly(header);
        using var json = JsonDocument.Parse(header);
        var tensors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in json.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
            tensors[entry.Name] = $"{entry.Value.GetProperty("dtype").GetString()} {entry.Value.GetProperty("shape")}";
        return tensors;
    }
}
