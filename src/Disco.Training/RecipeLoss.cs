using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>A micro-batch's loss: <see cref="Total"/> keeps its graph; <see cref="Terms"/> are logged (averaged over micro-batches), in order.</summary>
public sealed record RecipeLoss(Tensor Total, IReadOnlyDictionary<string, double> Terms);
