using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// BERT with its masked-language-model head, as HuggingFace's <c>BertForMaskedLM</c>: parameter names
/// are HuggingFace's (<c>bert.embeddings.word_embeddings.weight</c>, ..., <c>cls.predictions.bias</c>)
/// and the decoder is tied to the word embeddings. Dropout is active only in training mode.
/// </summary>
public sealed class BertForMaskedLM : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "bert")]
    private readonly BertModel _bert;

    [ComponentName(Name = "cls")]
    private readonly BertLmHead _cls;

    /// <summary>Builds the model with HuggingFace's initialisation (normal(0, initializer_range) weights).</summary>
    public BertForMaskedLM(BertConfig config) : base(nameof(BertForMaskedLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _bert = new BertModel(config);
        _cls = new BertLmHead(config);
        RegisterComponents();
        HfInitialization.Apply(this, config, WordEmbeddings);
    }

    public BertConfig Config { get; }

    /// <summary>The word-embedding matrix [V, H], which is also the decoder weight.</summary>
    public Parameter WordEmbeddings => _bert.WordEmbeddings;

    /// <summary>The decoder bias [V] (<c>cls.predictions.bias</c>).</summary>
    public Parameter DecoderBias => _cls.Bias;

    /// <param name="inputIds">[B, T] int64 token ids.</param>
    /// <param name="attentionMask">[B, T] int64, 1 for tokens and 0 for padding.</param>
    /// <returns>MLM logits [B, T, V] float32.</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var states = HeadStates(inputIds, attentionMask);
        return VocabularyLogits(states);
    }

    /// <summary>
    /// The MLM head's transformed states [B, T, H], i.e. everything before the vocabulary
    /// projection; callers that need logits only at some positions project those alone.
    /// </summary>
    public Tensor HeadStates(Tensor inputIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var hidden = _bert.call(inputIds, attentionMask);
        return _cls.call(hidden);
    }

    /// <summary>Projects head states [..., H] onto the vocabulary: [..., V] logits (tied decoder + bias).</summary>
    public Tensor VocabularyLogits(Tensor headStates) => nn.functional.linear(headStates, WordEmbeddings, DecoderBias);
}
