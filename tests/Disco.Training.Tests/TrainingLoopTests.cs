using System.Text.Json;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Training.Tests;

/// <summary>The shared loop's behaviour, on a recipe without BERT (milliseconds per run).</summary>
[Collection(SerialTorchTests.Name)]
public sealed class TrainingLoopTests
{
    private static TrainingLoopOptions Options(string output) => new()
    {
        OutputDir = output,
        BatchSize = 2,
        GradientAccumulation = 2,
        LearningRate = 0.05,
        WarmupSteps = 1,
        WarmupRatio = 0,
        WeightDecay = 0.01,
        MaxGradNorm = 1.0,
        Epochs = 2,
    };

    private static TrainingSummary Run(LinearRecipe recipe, TrainingLoopOptions options, int? interrupt = null) =>
        Train.Run(recipe, options, interrupt);

    [Fact]
    public void AccumulatedMicroBatchesMakeTheStepOfOneBatchOfTheSameItems()
    {
        using var dir = new TempDirectory();
        using var accumulated = new LinearRecipe(dropout: 0);
        using var whole = new LinearRecipe(dropout: 0);
        // 12 items: batch 2 × 2 micro-batches and batch 4 × 1 both take items 0-3, 4-7, ... of the same epoch shuffle.
        Run(accumulated, Options(dir.File("a")) with { MaxSteps = 3 });
        Run(whole, Options(dir.File("b")) with { BatchSize = 4, GradientAccumulation = 1, MaxSteps = 3 });
        Assert.Equal(6, accumulated.LossCalls);
        Assert.Equal(3, whole.LossCalls);
        var a = accumulated.Weights();
        var b = whole.Weights();
        for (var i = 0; i < a.Length; i++)
            Assert.Equal(b[i], a[i], 1e-6);
        var lossA = Logged(dir.File("a"), "loss");
        var lossB = Logged(dir.File("b"), "loss");
        for (var i = 0; i < lossA.Length; i++)
            Assert.Equal(lossB[i], lossA[i], 1e-6);
    }

    [Fact]
    public void ACancelledRunResumedFromItsCheckpointEndsAsAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        using var straight = new LinearRecipe();
        Run(straight, Options(dir.File("straight")));

        using var interrupted = new LinearRecipe();
        Assert.Throws<OperationCanceledException>(() => Run(interrupted, Options(dir.File("resumed")), interrupt: 2));
        // Step 2 is not an epoch end (3 steps per epoch), so the checkpoint is the cancellation's.
        var checkpoint = CheckpointLayout.Checkpoint(dir.File("resumed"), 2);
        Assert.Equal(2, TrainerState.Read(checkpoint).Step);

        using var resumed = new LinearRecipe();
        var summary = Run(resumed, Options(dir.File("resumed")) with { ResumeFrom = checkpoint });
        Assert.Equal(4, summary.StepsRun);
        Assert.Equal(8, resumed.LossCalls);
        Assert.Equal(straight.Weights(), resumed.Weights());
        // The log was cut back to the checkpoint, so it reads as one run.
        Assert.Equal(Logged(dir.File("straight"), "loss"), Logged(dir.File("resumed"), "loss"));
        Assert.Equal([1, 2, 3, 4, 5, 6], Logged(dir.File("resumed"), "step"));
    }

    [Fact]
    public void ValidationKeepsTheBestCheckpointAndOnlyTheNewestCheckpointsAreKept()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("dev.tsv"), "q1\tfirst\nq2\tsecond\n");
        File.WriteAllText(dir.File("dev-qrels.txt"), "q1 0 d0 1\nq2 0 d5 1\n");
        File.WriteAllText(dir.File("dev-run.json"), """{"q1": {"d0": 1, "d1": 1, "d2": 1, "d3": 1}, "q2": {"d4": 1, "d5": 1, "d6": 1, "d7": 1}}""");
        var output = dir.File("out");
        using var recipe = new LinearRecipe();
        var summary = Run(recipe, Options(output) with
        {
            Epochs = 4,
            KeepCheckpoints = 2,
            DevQueriesPath = dir.File("dev.tsv"),
            DevQrelsPath = dir.File("dev-qrels.txt"),
            DevRunPath = dir.File("dev-run.json"),
        });

        var validations = LogLines(output).Where(l => l.TryGetProperty("event", out _)).ToArray();
        Assert.Equal([3L, 6, 9, 12], validations.Select(v => v.GetProperty("step").GetInt64()));
        var mrr = validations.Select(v => v.GetProperty("mrr_10").GetDouble()).ToArray();
        var bestIndex = Array.IndexOf(mrr, mrr.Max());
        var best = TrainerState.Read(Path.Combine(output, CheckpointLayout.BestFolder));
        Assert.Equal(3 * (bestIndex + 1), best.BestStep);
        Assert.Equal(best.BestStep, best.Step);
        Assert.Equal(mrr.Max(), best.BestMetric);
        Assert.Equal(best.BestStep, summary.BestStep);
        Assert.False(File.Exists(Path.Combine(output, CheckpointLayout.BestFolder, CheckpointLayout.OptimizerFile)));
        Assert.Equal(["checkpoint-12", "checkpoint-9"], Directory.GetDirectories(output, "checkpoint-*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("linear", TrainerState.Read(Path.Combine(output, "checkpoint-12")).Recipe);
    }

    [Fact]
    public void ResumeRefusesAnotherRecipesCheckpointAndAFolderWithoutOptimizerState()
    {
        using var dir = new TempDirectory();
        using (var recipe = new LinearRecipe())
            Run(recipe, Options(dir.File("out")) with { MaxSteps = 3 });
        var checkpoint = CheckpointLayout.Checkpoint(dir.File("out"), 3);
        using var other = new LinearRecipe(name: "other");
        var mismatch = Assert.Throws<DiscoException>(() => new TrainingLoop(other, Options(dir.File("out")) with { ResumeFrom = checkpoint }));
        Assert.Contains("recipe 'linear'", mismatch.Message, StringComparison.Ordinal);

        // best/ is written without optimizer state; resuming from it could not be exact.
        File.Delete(Path.Combine(checkpoint, CheckpointLayout.OptimizerFile));
        using var same = new LinearRecipe();
        var noOptimizer = Assert.Throws<DiscoException>(() => new TrainingLoop(same, Options(dir.File("out")) with { ResumeFrom = checkpoint }));
        Assert.Contains(CheckpointLayout.OptimizerFile, noOptimizer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptionsNameTheOptionProperty()
    {
        using var recipe = new LinearRecipe();
        var error = Assert.Throws<DiscoException>(() => new TrainingLoop(recipe, Options("out") with { BatchSize = 0 }));
        Assert.StartsWith("BatchSize must be at least 1", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<DiscoException>(() => new TrainingLoop(recipe, Options("out") with { DevRunPath = "run.json" }));
        Assert.Contains("DevQueriesPath", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<DiscoException>(() => new TrainingLoop(recipe, Options("out") with { BatchSize = 7 }));
        Assert.Contains("do not fill one step", error.Message, StringComparison.Ordinal);
    }

    private static JsonElement[] LogLines(string output) =>
        [.. File.ReadLines(Path.Combine(output, CheckpointLayout.LogFile)).Select(l => JsonDocument.Parse(l).RootElement)];

    private static double[] Logged(string output, string field) =>
        [.. LogLines(output).Where(l => !l.TryGetProperty("event", out _)).Select(l => l.GetProperty(field).GetDouble())];
}
