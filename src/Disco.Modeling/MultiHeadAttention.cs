using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>The attention arithmetic BERT and DistilBERT share; their modules differ only in names.</summary>
internal static class MultiHeadAttention
{
    /// <summary>
    /// softmax(Q Kᵀ / √d + mask) V over <paramref name="heads"/> heads through libtorch's fused
    /// scaled-dot-product attention (spelled out when dropout draws from a training step's generator,
    /// see <see cref="DropoutRandom"/>); returns the context [B, T, H] before the output projection.
    /// </summary>
    public static Tensor Attend(Tensor hidden, Linear query, Linear key, Linear value, Tensor additiveMask, int heads, double dropout)
    {
        using var scope = NewDisposeScope();
        var b = hidden.shape[0];
        var t = hidden.shape[1];
        var headSize = hidden.shape[2] / heads;
        Tensor Heads(Linear projection) => projection.call(hidden).view(b, t, heads, headSize).transpose(1, 2);
        Tensor context;
        if (dropout > 0 && DropoutRandom.HasGenerator)
        {
            // The fused kernel draws its dropout from libtorch's process-wide generator; a training
            // step's own generator needs the attention probabilities in hand (the same arithmetic).
            var scores = matmul(Heads(query), Heads(key).transpose(-2, -1)).div_(Math.Sqrt(headSize)).add_(additiveMask);
            context = matmul(DropoutRandom.Apply(scores.softmax(-1), dropout, training: true), Heads(value));
        }
        else
        {
            context = nn.functional.scaled_dot_product_attention(Heads(query), Heads(key), Heads(value), additiveMask, p: dropout);
        }
        return context.transpose(1, 2).reshape(b, t, heads * headSize).MoveToOuterDisposeScope();
    }
}
