namespace Disco.Training;

/// <summary>
/// `disco train --recipe splade` (spec §3): one shared encoder trained on triplets (TSV, with or
/// without teacher scores) or on hard negatives (queries + collection + qrels + a scored run).
/// </summary>
public sealed record SpladeTrainingOptions
{
    /// <summary>Triplet TSV; alternatively set the four hard-negative paths.</summary>
    public string? TripletsPath { get; init; }

    public string? QueriesPath { get; init; }

    public string? CollectionPath { get; init; }

    public string? QrelsPath { get; init; }

    /// <summary>Scored candidates {qid: {docid: score}} (JSON or TREC) to draw hard negatives from.</summary>
    public string? HardNegativesPath { get; init; }

    public required string ModelDir { get; init; }

    public required string OutputDir { get; init; }

    public PairwiseLoss Loss { get; init; } = PairwiseLoss.InBatchNll;

    public int BatchSize { get; init; } = 16;

    public double LearningRate { get; init; } = 2e-5;

    public LearningRateShape Schedule { get; init; } = LearningRateShape.Linear;

    public double WarmupRatio { get; init; }

    public long? WarmupSteps { get; init; }

    public double WeightDecay { get; init; } = 0.01;

    public double MaxGradNorm { get; init; }

    public int Epochs { get; init; } = 1;

    public long? MaxSteps { get; init; }

    public double Dropout { get; init; } = 0.1;

    public long Seed { get; init; } = 123;

    public int MaxLength { get; init; } = 256;

    /// <summary>FLOPS weight on positive and negative documents.</summary>
    public double LambdaDocument { get; init; }

    /// <summary>L1 weight on queries.</summary>
    public double LambdaQuery { get; init; }

    public int WarmupDocument { get; init; }

    public int WarmupQuery { get; init; }

    public string Device { get; init; } = "cpu";

    public string? LogPath { get; init; }
}
