namespace Disco.Training;

/// <summary>
/// Everything `disco train --recipe disco` needs. Defaults are DiSCo's effective settings
/// (spec §2.1): batch 10, 16 negatives, window 10:960, AdamW lr 2e-5 with linear decay after 1%
/// warmup, no weight decay, clipping at 1.0, 5 epochs, dropout 0.1, seed 123, max length 256.
/// </summary>
public sealed record DiscoTrainingOptions
{
    public required string QueriesPath { get; init; }

    public required string CollectionPath { get; init; }

    public required string QrelsPath { get; init; }

    public required string TeacherRunPath { get; init; }

    public required string QueryModelDir { get; init; }

    public required string DocumentModelDir { get; init; }

    public required string OutputDir { get; init; }

    public int BatchSize { get; init; } = 10;

    public int Negatives { get; init; } = 16;

    public RankWindow Window { get; init; } = RankWindow.Disco;

    public double LearningRate { get; init; } = 2e-5;

    public LearningRateShape Schedule { get; init; } = LearningRateShape.Linear;

    public double WarmupRatio { get; init; } = 0.01;

    /// <summary>Warmup in steps; overrides <see cref="WarmupRatio"/> when set.</summary>
    public long? WarmupSteps { get; init; }

    public double WeightDecay { get; init; }

    public double MaxGradNorm { get; init; } = 1.0;

    public int GradientAccumulation { get; init; } = 1;

    public int Epochs { get; init; } = 5;

    /// <summary>Stops after this many optimizer steps; also sets the schedule's length (as HuggingFace).</summary>
    public long? MaxSteps { get; init; }

    public double Dropout { get; init; } = 0.1;

    public long Seed { get; init; } = 123;

    public int MaxLength { get; init; } = 256;

    public DiscoLossOptions Loss { get; init; } = new();

    /// <summary>Keep frozen document representations between steps instead of re-encoding them.</summary>
    public bool CacheDocuments { get; init; } = true;

    /// <summary>Also checkpoint every N steps (epoch ends and the end always are).</summary>
    public long? SaveSteps { get; init; }

    public string Device { get; init; } = "cpu";

    /// <summary>JSONL log; default <c>OutputDir/log.jsonl</c>.</summary>
    public string? LogPath { get; init; }

    /// <summary>A <c>checkpoint-N</c> directory of this run to continue from.</summary>
    public string? ResumeFrom { get; init; }

    public string? DevQueriesPath { get; init; }

    public string? DevQrelsPath { get; init; }

    /// <summary>The candidates re-ranked for validation (e.g. a first-stage run), qid → docid → score.</summary>
    public string? DevRunPath { get; init; }
}
