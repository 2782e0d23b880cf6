using Disco.Core.Vectors;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>SPLADE's pooling of MLM logits into one vocabulary-sized vector per sequence.</summary>
public static class SpladePooling
{
    /// <summary>
    /// <c>w_j = agg_t log(1 + relu(logits[t, j])) · mask_t</c>, differentiable.
    /// </summary>
    /// <param name="logits">[B, T, V].</param>
    /// <param name="attentionMask">[B, T] (any numeric type), 1 for tokens, 0 for padding.</param>
    /// <returns>[B, V].</returns>
    public static Tensor Represent(Tensor logits, Tensor attentionMask, SpladeAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        Tensor pooled;
        if (aggregation == SpladeAggregation.Max)
        {
            // log(1 + relu(·)) is monotone, so the max over tokens of the weights is the weight of
            // the max logit: the transform runs on [B, V] instead of [B, T, V], forward and backward
            // (the pass the training step spends most memory traffic on). Padding gets the lowest
            // logit, so a row without tokens pools to 0 as with the mask product. Same values, and
            // the gradient reaches the same (arg-max) token.
            var padding = attentionMask.eq(0).unsqueeze(-1);
            pooled = log1p(nn.functional.relu(logits.masked_fill(padding, float.NegativeInfinity).amax([1])));
        }
        else
        {
            pooled = (log1p(nn.functional.relu(logits)) * attentionMask.to_type(logits.dtype).unsqueeze(-1)).sum(dim: 1);
        }
        return pooled.MoveToOuterDisposeScope();
    }
}
