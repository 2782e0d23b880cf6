namespace Disco.Training;

/// <summary>
/// Classic SPLADE training (<see cref="SpladeRecipe"/>, spec §3): one shared encoder trained on
/// triplets (TSV, with or without teacher scores) or on hard negatives (queries + collection +
/// qrels + a scored run). <see cref="DefaultLoop"/> holds SPLADE's loop defaults: batch 16,
/// AdamW lr 2e-5 with linear decay and no warmup, weight decay 0.01, no clipping, 1 epoch.
/// </summary>
public sealed record SpladeTrainingOptions
{
    /// <summary>Triplet TSV; alternatively set the four hard-negative paths.</summary>
    public string? TripletsPath { get; init; }

    public string? QueriesPath { get; init; }

    /// <summary>Passages (hard negatives, and the candidates' texts for validation).</summary>
    public string? CollectionPath { get; init; }

    public string? QrelsPath { get; init; }

    /// <summary>Scored candidates {qid: {docid: score}} (JSON or TREC) to draw hard negatives from.</summary>
    public string? HardNegativesPath { get; init; }

    /// <summary>HuggingFace checkpoint directory the shared encoder starts from.</summary>
    public string? ModelDir { get; init; }

    public PairwiseLoss Loss { get; init; } = PairwiseLoss.InBatchNll;

    public double Dropout { get; init; } = 0.1;

    public int MaxLength { get; init; } = 256;

    /// <summary>FLOPS weight on positive and negative documents.</summary>
    public double LambdaDocument { get; init; }

    /// <summary>L1 weight on queries.</summary>
    public double LambdaQuery { get; init; }

    /// <summary>Steps of SPLADE's quadratic warmup of <see cref="LambdaDocument"/>.</summary>
    public int WarmupDocument { get; init; }

    /// <summary>Steps of SPLADE's quadratic warmup of <see cref="LambdaQuery"/>.</summary>
    public int WarmupQuery { get; init; }

    /// <summary>Loop settings: optimisation, checkpoints, resume, validation.</summary>
    public TrainingLoopOptions Loop { get; init; } = DefaultLoop;

    /// <summary>SPLADE's loop defaults (<c>transformers.AdamW</c> with a linear schedule, spec §3).</summary>
    public static TrainingLoopOptions DefaultLoop => new()
    {
        BatchSize = 16,
        WarmupRatio = 0,
        WeightDecay = 0.01,
        MaxGradNorm = 0,
        Epochs = 1,
    };
}
