namespace Disco.Training;

/// <summary>
/// Everything DiSCo distillation (<see cref="DiscoRecipe"/>) needs. The defaults are DiSCo's
/// effective settings (spec §2.1): 16 negatives from teacher ranks 10:960, dropout 0.1, 256
/// tokens, and in <see cref="DefaultLoop"/> batch 10, AdamW lr 2e-5 with linear decay after 1%
/// warmup, no weight decay, clipping at 1.0, 5 epochs, seed 123.
/// </summary>
public sealed record DiscoTrainingOptions
{
    /// <summary>Training queries: TSV <c>id&lt;TAB&gt;text</c> (flattened conversations) or conversations JSONL.</summary>
    public string? QueriesPath { get; init; }

    /// <summary>Passages, TSV <c>id&lt;TAB&gt;text</c> or JSONL.</summary>
    public string? CollectionPath { get; init; }

    /// <summary>Training qrels (TREC or JSON); relevance ≥ 1 marks a positive.</summary>
    public string? QrelsPath { get; init; }

    /// <summary>The teacher's scores <c>{qid: {docid: score}}</c> (JSON) or a TREC run.</summary>
    public string? TeacherRunPath { get; init; }

    /// <summary>HuggingFace checkpoint directory the query encoder starts from.</summary>
    public string? QueryModelDir { get; init; }

    /// <summary>The frozen document encoder; null means <see cref="QueryModelDir"/>.</summary>
    public string? DocumentModelDir { get; init; }

    public int Negatives { get; init; } = 16;

    public RankWindow Window { get; init; } = RankWindow.Disco;

    /// <summary>Dropout of the trained query encoder (the model is rebuilt when it differs from config.json).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Wordpieces per query and passage, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; init; } = 256;

    public DiscoLossOptions Loss { get; init; } = new();

    /// <summary>Keep frozen document representations between steps instead of re-encoding them.</summary>
    public bool CacheDocuments { get; init; } = true;

    /// <summary>Loop settings: optimisation, checkpoints, resume, validation.</summary>
    public TrainingLoopOptions Loop { get; init; } = DefaultLoop;

    /// <summary>DiSCo's loop defaults (HuggingFace Trainer settings of the reference, spec §2.1).</summary>
    public static TrainingLoopOptions DefaultLoop => new()
    {
        BatchSize = 10,
        WarmupRatio = 0.01,
        WeightDecay = 0,
        MaxGradNorm = 1.0,
        Epochs = 5,
    };
}
