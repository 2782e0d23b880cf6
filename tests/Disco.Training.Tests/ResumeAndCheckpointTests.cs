using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Training.Tests;

[Collection(SerialTorchTests.Name)]
public sealed class ResumeAndCheckpointTests
{
    [Fact]
    public void DiscoResumedFromAnInterruptedRunEndsWithTheWeightsOfAnUninterruptedRun()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        // Batch 1 over 2 queries: 2 steps per epoch, so 4 steps cross an epoch boundary; dropout on,
        // linear schedule with warmup, weight decay and clipping, so every piece of state matters.
        var loop = DiscoTrainingOptions.DefaultLoop with { BatchSize = 1, LearningRate = 1e-3, WarmupSteps = 1, WeightDecay = 0.01, MaxSteps = 4 };
        DiscoTrainingOptions Options(string output) =>
            data.Disco(loop with { OutputDir = output }) with { Negatives = 2, Window = new RankWindow(0, 10), Dropout = 0.1 };

        var straight = Options(dir.File("straight"));
        Train.Disco(straight);
        var resumed = Options(dir.File("resumed"));
        var checkpoint = InterruptAfterTwoStepsAndResume(resumed.Loop, (loop, interrupt) => Train.Disco(resumed with { Loop = loop }, interrupt));

        var afterTwo = Parameters(Path.Combine(checkpoint, "model", "query"));
        AssertSameWeightsAndLog(straight.Loop.OutputDir!, resumed.Loop.OutputDir!, Path.Combine("model", "query"));
        Assert.False(Parameters(Path.Combine(dir.File("straight"), "model", "query"))["bert.embeddings.word_embeddings.weight"]
            .AsSpan().SequenceEqual(afterTwo["bert.embeddings.word_embeddings.weight"]));
    }

    [Fact]
    public void SpladeResumesExactlyWithAccumulationAndValidation()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        // Hard negatives from the golden teacher run, 2 micro-batches of 1 query per step (1 step per
        // epoch, so a validation after every step), dropout on, clipping and warmup.
        var loop = data.Validating(SpladeTrainingOptions.DefaultLoop with
        {
            BatchSize = 1,
            GradientAccumulation = 2,
            LearningRate = 1e-3,
            WarmupSteps = 1,
            MaxGradNorm = 1.0,
            MaxSteps = 4,
        });
        SpladeTrainingOptions Options(string output) => data.Splade(loop with { OutputDir = output }) with { MaxLength = 64 };

        var straight = Options(dir.File("straight"));
        var summary = Train.Splade(straight);
        var resumed = Options(dir.File("resumed"));
        InterruptAfterTwoStepsAndResume(resumed.Loop, (loop, interrupt) => Train.Splade(resumed with { Loop = loop }, interrupt));

        AssertSameWeightsAndLog(straight.Loop.OutputDir!, resumed.Loop.OutputDir!, "model");
        var validations = File.ReadLines(Path.Combine(dir.File("straight"), "log.jsonl")).Where(l => l.Contains("\"validation\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, validations.Length);
        Assert.Equal(validations, File.ReadLines(Path.Combine(dir.File("resumed"), "log.jsonl")).Where(l => l.Contains("\"validation\"", StringComparison.Ordinal)));
        Assert.Equal(summary.BestStep, TrainerState.Read(Path.Combine(dir.File("resumed"), "best")).BestStep);
        Assert.Equal("splade", TrainerState.Read(Path.Combine(dir.File("resumed"), "checkpoint-4")).Recipe);
    }

    /// <summary>
    /// Runs with <paramref name="loop"/> until cancelled after step 2 (which checkpoints step 2),
    /// then resumes from that checkpoint in the same output folder.
    /// </summary>
    /// <returns>The checkpoint of step 2.</returns>
    private static string InterruptAfterTwoStepsAndResume(TrainingLoopOptions loop, Func<TrainingLoopOptions, int?, TrainingSummary> train)
    {
        Assert.Throws<OperationCanceledException>(() => train(loop, 2));
        var checkpoint = CheckpointLayout.Checkpoint(loop.OutputDir!, 2);
        Assert.True(File.Exists(Path.Combine(checkpoint, CheckpointLayout.OptimizerFile)));
        Assert.Equal(2, TrainerState.Read(checkpoint).Step);
        Assert.Equal(2, train(loop with { ResumeFrom = checkpoint }, null).StepsRun);
        return checkpoint;
    }

    private static void AssertSameWeightsAndLog(string straight, string resumed, string modelFolder)
    {
        var expected = Parameters(Path.Combine(straight, modelFolder));
        var actual = Parameters(Path.Combine(resumed, modelFolder));
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(actual[name]), $"{name} differs after resume");
        Assert.Equal(Losses(straight), Losses(resumed));
    }

    /// <summary>Every parameter of the model saved in <paramref name="modelDir"/>, by name.</summary>
    internal static Dictionary<string, float[]> Parameters(string modelDir)
    {
        using var model = HfCheckpoint.Load(modelDir, out _, null);
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().data<float>().ToArray());
    }

    private static double[] Losses(string output) =>
        [.. File.ReadLines(Path.Combine(output, "log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("loss", out _)).Select(e => e.GetProperty("loss").GetDouble())];
}
