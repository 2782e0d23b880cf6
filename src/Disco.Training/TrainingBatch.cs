namespace Disco.Training;

/// <summary>
/// One micro-batch as the loop hands it to a recipe.
/// </summary>
/// <param name="Step">The optimizer step it belongs to (from 1).</param>
/// <param name="LossCall">Micro-batches so far including this one (from 1): the step counter of the regularisers' λ warmup, as the references count loss calls.</param>
/// <param name="Epoch">The epoch (from 0).</param>
/// <param name="Items">Item indices in [0, <see cref="ITrainingRecipe.ItemCount"/>), in batch order.</param>
/// <param name="Seed">The run's seed.</param>
public sealed record TrainingBatch(long Step, long LossCall, int Epoch, IReadOnlyList<int> Items, long Seed)
{
    /// <summary>The generator of <paramref name="item"/>'s draws in this epoch (negatives, positives).</summary>
    public TrainingRandom RandomFor(int item) => TrainingRandom.For(Seed, Epoch, item);
}
