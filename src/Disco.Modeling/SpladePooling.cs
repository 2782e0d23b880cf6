using Disco.Core.Vectors;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>SPLADE's pooling of MLM logits into one vocabulary-sized vector per sequence.</summary>
public static class SpladePooling
{
    /// <summary>
    /// <c>w_j = agg_t log(1 + relu(logits[t, j])) · mask_t</c>, differentiable.
    /// Multiplying by the mask works for max too because every term is ≥ 0.
    /// </summary>
    /// <param name="logits">[B, T, V].</param>
    /// <param name="attentionMask">[B, T] (any numeric type), 1 for tokens, 0 for padding.</param>
    /// <returns>[B, V].</returns>
    public static Tensor Represent(Tensor logits, Tensor attentionMask, SpladeAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var weights = log1p(nn.functional.relu(logits)) * attentionMask.to_type(logits.dtype).unsqueeze(-1);
        var pooled = aggregation == SpladeAggregation.Max ? weights.amax([1]) : weights.sum(dim: 1);
        return pooled.MoveToOuterDisposeScope();
    }
}
