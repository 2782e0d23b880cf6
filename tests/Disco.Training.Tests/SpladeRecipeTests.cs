using Disco.Modeling;
using Disco.TestSupport;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

public sealed class SpladeRecipeTests
{
    [Fact]
    public void InBatchTrainingOnTripletsWidensThePositiveMargin()
    {
        using var dir = new TempDirectory();
        var triplets = Fixtures.Data("splade-toy", "triplets", "raw.tsv");
        Assert.Equal(0, CliRunner.Run(
            "train", "--recipe", "splade", "--triplets", triplets, "--model", Fixtures.TinySplade, "--out", dir.File("out"),
            "--loss", "in-batch-nll", "--batch-size", "10", "--lr", "2e-3", "--lr-schedule", "constant", "--warmup-ratio", "0",
            "--dropout", "0", "--max-steps", "10", "--max-length", "64", "--lambda-d", "1e-4", "--lambda-q", "1e-4", "--reg-warmup-d", "5"));
        var before = MeanMargin(Fixtures.TinySplade, triplets);
        var after = MeanMargin(Path.Combine(dir.File("out"), "model"), triplets);
        Assert.True(after > before + 0.5, $"mean s+ − s− {before:F3} → {after:F3}");
    }

    [Fact]
    public void DistillationLossesRefuseTripletsWithoutTeacherScores()
    {
        using var dir = new TempDirectory();
        var exit = CliRunner.Run(
            "train", "--recipe", "splade", "--triplets", Fixtures.Data("splade-toy", "triplets", "raw.tsv"),
            "--model", Fixtures.TinySplade, "--out", dir.File("out"), "--loss", "margin-mse");
        Assert.Equal(1, exit);
        Assert.False(Directory.Exists(Path.Combine(dir.File("out"), "model")));
    }

    [Fact]
    public void SpladeRecipeKeepsItsOwnDefaultsWhenFlagsAreNotGiven()
    {
        // DiSCo's defaults (warmup ratio 0.01) would make the first step's learning rate 0;
        // SPLADE's (no warmup, linear decay) start at the peak rate.
        using var dir = new TempDirectory();
        var log = dir.File("log.jsonl");
        Assert.Equal(0, CliRunner.Run(
            "train", "--recipe", "splade", "--triplets", Fixtures.Data("splade-toy", "triplets", "raw.tsv"),
            "--model", Fixtures.TinySplade, "--out", dir.File("out"), "--max-steps", "1", "--max-length", "32", "--log", log));
        using var first = System.Text.Json.JsonDocument.Parse(File.ReadLines(log).First());
        Assert.Equal(new SpladeTrainingOptions { ModelDir = "", OutputDir = "" }.LearningRate, first.RootElement.GetProperty("lr").GetDouble(), 12);
    }

    [Fact]
    public void SpladeLambdaWarmupIsQuadraticUpToT()
    {
        Assert.Equal(0.4 * 0.25, SpladeTrainer.RampedLambda(0.4, 10, 5), 12);
        Assert.Equal(0.4, SpladeTrainer.RampedLambda(0.4, 10, 10));
        Assert.Equal(0.4, SpladeTrainer.RampedLambda(0.4, 0, 1));
    }

    private static double MeanMargin(string modelDir, string tripletsPath)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var triplets = TripletFile.Read(tripletsPath);
        using var model = HfCheckpoint.Load(modelDir, out _, null);
        var encoder = new RepresentationEncoder(model, WordPieceTokenizer.FromDirectory(Fixtures.TinySplade), 64, CPU);
        var q = encoder.Represent([.. triplets.Select(t => t.Query)]);
        var p = encoder.Represent([.. triplets.Select(t => t.Positive)]);
        var n = encoder.Represent([.. triplets.Select(t => t.Negative)]);
        return ((q * p).sum(1) - (q * n).sum(1)).mean().item<float>();
    }
}
