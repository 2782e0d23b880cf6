using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;
using TorchSharp.Modules;

namespace Disco.Training.Tests;

public sealed class DistilBertTrainingTests
{
    [Fact]
    public void TheSpladeRecipeTrainsADistilBertModelWithItsNormsExemptFromDecay()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        var loop = SpladeTrainingOptions.DefaultLoop with { OutputDir = dir.File("out"), BatchSize = 2, LearningRate = 1e-3, MaxSteps = 2 };
        var options = data.Splade(loop) with { ModelDir = Fixtures.TinyDistilBert, MaxLength = 32 };
        using (var recipe = new SpladeRecipe(options))
        {
            // DistilBERT names its norms sa_layer_norm, output_layer_norm, vocab_layer_norm: they are
            // found by module type, as HuggingFace's Trainer does.
            using var optimizer = TrainingOptimizer.Create(recipe.Trainable, 1e-3, 0.01);
            var exempt = optimizer.ParamGroups.Cast<AdamW.ParamGroup>().Single(g => g.Options.weight_decay == 0).Parameters.ToHashSet();
            foreach (var (name, parameter) in recipe.Trainable.named_parameters())
            {
                var isNorm = name.Contains("layer_norm", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal);
                Assert.True((isNorm || name.EndsWith(".bias", StringComparison.Ordinal)) == exempt.Contains(parameter), name);
            }
            Train.Run(recipe, loop);
        }

        using var before = SpladeEncoder.Load(Fixtures.TinyDistilBert, new SpladeEncoderOptions(MaxLength: 32));
        using var after = SpladeEncoder.Load(Path.Combine(dir.File("out"), "model"), new SpladeEncoderOptions(MaxLength: 32));
        Assert.IsType<DistilBertForMaskedLM>(after.Model);
        var text = golden.RootElement.GetProperty("batch")[0].GetProperty("query").GetString()!;
        Assert.NotEqual(before.Encode([text])[0].Values, after.Encode([text])[0].Values);
    }
}
