using Disco.Core;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Training.Tests;

public sealed class SpladeRecipeTests
{
    // Short texts keep the test fast (the vocabulary projection of every token dominates a step).
    private const int MaxLength = 32;

    [Fact]
    public void InBatchTrainingOnTripletsWidensThePositiveMargin()
    {
        using var dir = new TempDirectory();
        var triplets = Fixtures.Data("splade-toy", "triplets", "raw.tsv");
        Train.Splade(new SpladeTrainingOptions
        {
            TripletsPath = triplets,
            ModelDir = Fixtures.TinySplade,
            Loss = PairwiseLoss.InBatchNll,
            Dropout = 0,
            MaxLength = MaxLength,
            LambdaDocument = 1e-4,
            LambdaQuery = 1e-4,
            WarmupDocument = 5,
            Loop = SpladeTrainingOptions.DefaultLoop with
            {
                OutputDir = dir.File("out"),
                BatchSize = 8,
                LearningRate = 2e-3,
                Schedule = LearningRateShape.Constant,
                MaxSteps = 3,
            },
        });
        var before = MeanMargin(Fixtures.TinySplade, triplets);
        var after = MeanMargin(Path.Combine(dir.File("out"), "model"), triplets);
        TestContext.Current.TestOutputHelper?.WriteLine($"mean s+ − s− {before:F3} → {after:F3}");
        Assert.True(after > before + 0.5, $"mean s+ − s− {before:F3} → {after:F3}");
    }

    [Fact]
    public void DistillationLossesRefuseTripletsWithoutTeacherScores()
    {
        var error = Assert.Throws<DiscoException>(() => new SpladeRecipe(new SpladeTrainingOptions
        {
            TripletsPath = Fixtures.Data("splade-toy", "triplets", "raw.tsv"),
            ModelDir = Fixtures.TinySplade,
            Loss = PairwiseLoss.MarginMse,
        }));
        Assert.Contains("needs teacher scores", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInputsAreNamedByTheirOptionProperty()
    {
        var error = Assert.Throws<DiscoException>(() => new SpladeRecipe(new SpladeTrainingOptions { ModelDir = Fixtures.TinySplade }));
        Assert.Contains(nameof(SpladeTrainingOptions.TripletsPath), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<DiscoException>(() => new DiscoRecipe(new DiscoTrainingOptions()));
        Assert.Equal("DiscoTrainingOptions.QueriesPath is required", error.Message);
    }

    [Fact]
    public void SpladeLambdaWarmupIsQuadraticUpToT()
    {
        Assert.Equal(0.4 * 0.25, SparseRegularizer.RampedLambda(0.4, 10, 5), 12);
        Assert.Equal(0.4, SparseRegularizer.RampedLambda(0.4, 10, 10));
        Assert.Equal(0.4, SparseRegularizer.RampedLambda(0.4, 0, 1));
    }

    /// <summary>Mean s(q, d+) − s(q, d−) over the triplets, scored by the inference encoder.</summary>
    private static double MeanMargin(string modelDir, string tripletsPath)
    {
        var triplets = TripletFile.Read(tripletsPath);
        using var encoder = SpladeEncoder.Load(modelDir, new SpladeEncoderOptions(MaxLength: MaxLength));
        var q = encoder.Encode([.. triplets.Select(t => t.Query)]);
        var p = encoder.Encode([.. triplets.Select(t => t.Positive)]);
        var n = encoder.Encode([.. triplets.Select(t => t.Negative)]);
        return Enumerable.Range(0, triplets.Count).Average(i => q[i].Dot(p[i]) - q[i].Dot(n[i]));
    }
}
