using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// What a training recipe supplies to <see cref="TrainingLoop"/>: its items, the loss of a batch of
/// them, the module being trained, how its models are saved and restored, and how it scores
/// validation candidates. The loop owns everything else — optimizer, schedule, accumulation,
/// clipping, seeding, logging, checkpoints, resume and validation — so every recipe gets the
/// same behaviour (docs/training.md).
/// </summary>
public interface ITrainingRecipe : IDisposable
{
    /// <summary>The recipe's name in <c>trainer_state.json</c>; a checkpoint resumes only under the same recipe.</summary>
    string Name { get; }

    /// <summary>The recipe's options, written to <c>training_args.json</c>.</summary>
    object Options { get; }

    /// <summary>Training items of one epoch (queries, triplets, ...); the loop shuffles and batches their indices.</summary>
    int ItemCount { get; }

    /// <summary>The module whose parameters that require gradients the optimizer updates.</summary>
    nn.Module Trainable { get; }

    /// <summary>
    /// Forward pass and loss of one micro-batch, with the graph kept for backward. Draws must come
    /// from <see cref="TrainingBatch.RandomFor"/> (dropout is seeded by the loop), so that a resumed
    /// run repeats them exactly.
    /// </summary>
    RecipeLoss Loss(TrainingBatch batch);

    /// <summary>Running totals appended to every log line (e.g. <c>documents_encoded</c>).</summary>
    IReadOnlyDictionary<string, double> Counters { get; }

    /// <summary>Writes the recipe's models in HuggingFace layout under <paramref name="modelDirectory"/>.</summary>
    void SaveModels(string modelDirectory);

    /// <summary>Loads the trained weights that <see cref="SaveModels"/> wrote (resume).</summary>
    void RestoreModels(string modelDirectory);

    /// <summary>
    /// Scores each validation query's candidates with the current model in evaluation mode (no
    /// dropout), leaving the model in the mode it found it.
    /// </summary>
    /// <returns>query id → document id → score.</returns>
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ScoreCandidates(IReadOnlyList<ValidationQuery> queries);
}
