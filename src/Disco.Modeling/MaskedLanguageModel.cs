using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// A transformer encoder with a masked-language-model head whose decoder is tied to the word
/// embeddings: what SPLADE needs from any architecture. Subclasses (<see cref="BertForMaskedLM"/>,
/// <see cref="DistilBertForMaskedLM"/>) carry HuggingFace's parameter names, so
/// <see cref="HfCheckpoint"/> loads and saves them by name.
/// </summary>
public abstract class MaskedLanguageModel : nn.Module<Tensor, Tensor, Tensor>
{
    private protected MaskedLanguageModel(string name, MaskedLmConfig config) : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
    }

    public MaskedLmConfig Config { get; }

    /// <summary>The word-embedding matrix [V, H], which is also the decoder weight.</summary>
    public abstract Parameter WordEmbeddings { get; }

    /// <summary>The decoder bias [V].</summary>
    public abstract Parameter DecoderBias { get; }

    /// <param name="inputIds">[B, T] int64 token ids.</param>
    /// <param name="attentionMask">[B, T] int64, 1 for tokens and 0 for padding.</param>
    /// <returns>MLM logits [B, T, V].</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var states = HeadStates(inputIds, attentionMask);
        return VocabularyLogits(states);
    }

    /// <summary>
    /// The MLM head's transformed states [B, T, H], i.e. everything before the vocabulary
    /// projection; callers that need logits only at some positions project those alone.
    /// </summary>
    public abstract Tensor HeadStates(Tensor inputIds, Tensor attentionMask);

    /// <summary>Projects head states [..., H] onto the vocabulary: [..., V] logits (tied decoder + bias).</summary>
    public Tensor VocabularyLogits(Tensor headStates) => nn.functional.linear(headStates, WordEmbeddings, DecoderBias);

    /// <summary>
    /// HuggingFace's initialisation: normal(0, initializer_range) weights, LayerNorm 1/0, zero biases,
    /// the padding row of the word embeddings zero. Called by subclasses once their modules exist.
    /// </summary>
    private protected void InitializeWeights() => HfInitialization.Apply(this, Config, WordEmbeddings);

    /// <summary>HuggingFace's extended mask [B, 1, 1, T]: 0 where attended, the dtype's minimum where padded.</summary>
    /// <remarks>Built in the weights' dtype so a model cast to bfloat16 runs attention in one dtype.</remarks>
    internal static Tensor AdditiveMask(Tensor attentionMask, ScalarType dtype)
    {
        var minimum = dtype == ScalarType.BFloat16 ? -3.38e38f : dtype == ScalarType.Float16 ? -65504f : float.MinValue;
        return (1.0f - attentionMask.to_type(dtype)).mul(minimum).view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]);
    }
}
