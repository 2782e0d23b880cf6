namespace Disco.Training;

/// <summary>
/// Settings of the shared training loop (<see cref="TrainingLoop"/>): optimisation, schedule,
/// checkpoints, resume and validation. The settings whose right value depends on the recipe are
/// <c>required</c>; each recipe's options record gives them once, as its <c>DefaultLoop</c>
/// (<see cref="DiscoTrainingOptions.DefaultLoop"/>, <see cref="SpladeTrainingOptions.DefaultLoop"/>).
/// </summary>
public sealed record TrainingLoopOptions
{
    /// <summary>Where checkpoints, the final model, <c>training_args.json</c> and the log go.</summary>
    public string? OutputDir { get; init; }

    /// <summary>
    /// Start over in an <see cref="OutputDir"/> that holds an earlier run: its checkpoints, final
    /// model, log and arguments are deleted first. Without it (and without <see cref="ResumeFrom"/>)
    /// a non-empty <see cref="OutputDir"/> is refused, so a rerun never destroys an earlier run.
    /// </summary>
    public bool Overwrite { get; init; }

    /// <summary>Training items (queries or triplets) per micro-batch.</summary>
    public required int BatchSize { get; init; }

    /// <summary>Micro-batches per optimizer step (their gradients are averaged).</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>Peak learning rate of AdamW (β 0.9/0.999, ε 1e-8).</summary>
    public double LearningRate { get; init; } = 2e-5;

    public LearningRateShape Schedule { get; init; } = LearningRateShape.Linear;

    /// <summary>Warmup as a fraction of all steps, rounded up (HuggingFace's <c>warmup_ratio</c>).</summary>
    public required double WarmupRatio { get; init; }

    /// <summary>Warmup in steps; overrides <see cref="WarmupRatio"/> when set.</summary>
    public long? WarmupSteps { get; init; }

    /// <summary>AdamW's decoupled weight decay; never applied to biases and LayerNorm parameters.</summary>
    public required double WeightDecay { get; init; }

    /// <summary>Clips the total gradient norm; 0 turns clipping off.</summary>
    public required double MaxGradNorm { get; init; }

    public required int Epochs { get; init; }

    /// <summary>Stops after this many optimizer steps; also sets the schedule's length (as HuggingFace).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Seed of shuffling, sampling and dropout; every draw is a function of it and the position.</summary>
    public long Seed { get; init; } = 123;

    /// <summary>Also checkpoint every N steps (epoch ends and the last step always are).</summary>
    public long? SaveSteps { get; init; }

    /// <summary>Keep only the newest N <c>checkpoint-*</c> folders (null: keep all); <c>best/</c> is never removed.</summary>
    public int? KeepCheckpoints { get; init; }

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>JSONL log, one object per step; default <c>OutputDir/log.jsonl</c>.</summary>
    public string? LogPath { get; init; }

    /// <summary>A <c>checkpoint-N</c> folder of this run to continue from, exactly.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Validation queries (TSV or conversations JSONL); with <see cref="DevQrelsPath"/> and <see cref="DevRunPath"/>.</summary>
    public string? DevQueriesPath { get; init; }

    /// <summary>Validation qrels (TREC or JSON); relevance ≥ 1 is relevant.</summary>
    public string? DevQrelsPath { get; init; }

    /// <summary>The candidates re-ranked for validation (e.g. a first-stage run), TREC or JSON.</summary>
    public string? DevRunPath { get; init; }

    /// <summary>Whether validation is configured (all three dev paths are checked by <see cref="Validate"/>).</summary>
    public bool Validates => DevQueriesPath is not null || DevQrelsPath is not null || DevRunPath is not null;

    /// <summary>
    /// Refuses a non-empty <see cref="OutputDir"/> unless resuming or <see cref="Overwrite"/> (then
    /// removes the earlier run's own entries). Cheap: callers run it before loading any model.
    /// </summary>
    public void PrepareOutputDir()
    {
        if (OutputDir is null || ResumeFrom is not null || !Directory.Exists(OutputDir) || !Directory.EnumerateFileSystemEntries(OutputDir).Any())
            return;
        if (!Overwrite)
            throw new Core.DiscoException($"{OutputDir}: holds an earlier run or other files; continue a run with --resume {Path.Combine(OutputDir, CheckpointLayout.CheckpointPrefix)}N, start over with --overwrite, or choose another --out");
        foreach (var folder in Directory.EnumerateDirectories(OutputDir))
        {
            var name = Path.GetFileName(folder);
            // Interrupted saves' DIR.tmp-*/DIR.old-* siblings go with their folders.
            var infix = name.IndexOf(Core.IO.AtomicDirectory.TempInfix, StringComparison.Ordinal) is >= 0 and var t ? t : name.IndexOf(Core.IO.AtomicDirectory.OldInfix, StringComparison.Ordinal);
            if (infix >= 0)
                name = name[..infix];
            if (name is CheckpointLayout.ModelFolder or CheckpointLayout.BestFolder || name.StartsWith(CheckpointLayout.CheckpointPrefix, StringComparison.Ordinal))
                Directory.Delete(folder, recursive: true);
        }
        foreach (var file in new[] { CheckpointLayout.LogFile, CheckpointLayout.ArgumentsFile })
            File.Delete(Path.Combine(OutputDir, file));
    }

    /// <summary>Throws a <see cref="Core.DiscoException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        TrainingOptionChecks.Require(OutputDir is not null, $"{nameof(TrainingLoopOptions)}.{nameof(OutputDir)} is required");
        TrainingOptionChecks.AtLeastOne(BatchSize, nameof(BatchSize));
        TrainingOptionChecks.AtLeastOne(GradientAccumulation, nameof(GradientAccumulation));
        TrainingOptionChecks.AtLeastOne(Epochs, nameof(Epochs));
        TrainingOptionChecks.Require(LearningRate > 0, $"{nameof(LearningRate)} must be positive, got {LearningRate}");
        TrainingOptionChecks.Require(WarmupRatio is >= 0 and <= 1, $"{nameof(WarmupRatio)} must be in [0, 1], got {WarmupRatio}");
        TrainingOptionChecks.Require(WarmupSteps is null or >= 0, $"{nameof(WarmupSteps)} must not be negative, got {WarmupSteps}");
        TrainingOptionChecks.Require(WeightDecay >= 0, $"{nameof(WeightDecay)} must not be negative, got {WeightDecay}");
        TrainingOptionChecks.Require(MaxGradNorm >= 0, $"{nameof(MaxGradNorm)} must not be negative (0 turns clipping off), got {MaxGradNorm}");
        TrainingOptionChecks.Require(MaxSteps is null or >= 1, $"{nameof(MaxSteps)} must be at least 1, got {MaxSteps}");
        TrainingOptionChecks.Require(SaveSteps is null or >= 1, $"{nameof(SaveSteps)} must be at least 1, got {SaveSteps}");
        TrainingOptionChecks.Require(KeepCheckpoints is null or >= 1, $"{nameof(KeepCheckpoints)} must be at least 1, got {KeepCheckpoints}");
        TrainingOptionChecks.Require(!Validates || (DevQueriesPath is not null && DevQrelsPath is not null && DevRunPath is not null),
            $"validation needs {nameof(DevQueriesPath)}, {nameof(DevQrelsPath)} and {nameof(DevRunPath)} together");
    }
}
