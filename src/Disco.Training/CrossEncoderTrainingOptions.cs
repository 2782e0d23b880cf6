using Disco.Core.Conversations;

namespace Disco.Training;

/// <summary>
/// Cross-encoder training (<see cref="CrossEncoderRecipe"/>): a BERT or DistilBERT sequence classifier
/// with one logit, from triplets (TSV, with or without teacher scores) or from a first-stage run with
/// qrels (each query's positive and <see cref="Negatives"/> hard negatives from the run's ranks in
/// <see cref="Window"/>, the run's scores as teacher scores). <see cref="DefaultLoop"/> holds the
/// usual cross-encoder fine-tuning settings (sentence-transformers' CrossEncoder.fit): batch 16,
/// AdamW lr 2e-5, 10% warmup, weight decay 0.01, gradient norm clipped at 1, 1 epoch.
/// </summary>
public sealed record CrossEncoderTrainingOptions
{
    /// <summary>Triplet TSV q, d+, d− [, s+, s−]; alternatively the four run-mode paths.</summary>
    public string? TripletsPath { get; init; }

    /// <summary>Run mode: queries (TSV or conversations JSONL, flattened with <see cref="Flattening"/>).</summary>
    public string? QueriesPath { get; init; }

    /// <summary>Run mode: the passages.</summary>
    public string? CollectionPath { get; init; }

    /// <summary>Run mode: qrels; relevance ≥ 1 marks a positive.</summary>
    public string? QrelsPath { get; init; }

    /// <summary>Run mode: the first-stage run (TREC, JSON or SPLADE's pickled scores) hard negatives and teacher scores come from.</summary>
    public string? RunPath { get; init; }

    /// <summary>Checkpoint to start from: a cross-encoder, or any BERT or DistilBERT checkpoint (its classification head then starts from HuggingFace's initialisation).</summary>
    public string? ModelDir { get; init; }

    public CrossEncoderLoss Loss { get; init; } = CrossEncoderLoss.Listwise;

    /// <summary>Run mode: negatives per query (triplets have one).</summary>
    public int Negatives { get; init; } = 7;

    /// <summary>Run mode: the run's ranks negatives come from.</summary>
    public RankWindow Window { get; init; } = new(0, 100);

    /// <summary>Dropout of every layer of the trained model.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Tokens per query-passage pair; the passage is cut first.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>How conversations in the queries file become the query text.</summary>
    public FlatteningOptions? Flattening { get; init; }

    /// <summary>Loop settings: optimisation, checkpoints, resume, validation.</summary>
    public TrainingLoopOptions Loop { get; init; } = DefaultLoop;

    public static TrainingLoopOptions DefaultLoop => new()
    {
        BatchSize = 16,
        WarmupRatio = 0.1,
        WeightDecay = 0.01,
        MaxGradNorm = 1,
        Epochs = 1,
    };
}
