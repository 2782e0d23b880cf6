using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// BERT with its masked-language-model head, as HuggingFace's <c>BertForMaskedLM</c>: parameter names
/// are HuggingFace's (<c>bert.embeddings.word_embeddings.weight</c>, ..., <c>cls.predictions.bias</c>)
/// and the decoder is tied to the word embeddings. Dropout is active only in training mode.
/// </summary>
public sealed class BertForMaskedLM : MaskedLanguageModel
{
    [ComponentName(Name = "bert")]
    private readonly TransformerBody<BertLayer> _bert;

    [ComponentName(Name = "cls")]
    private readonly BertLmHead _cls;

    /// <summary>Builds the model with HuggingFace's initialisation (normal(0, initializer_range) weights).</summary>
    public BertForMaskedLM(BertConfig config) : base(nameof(BertForMaskedLM), config)
    {
        _bert = new TransformerBody<BertLayer>("bert", config, config.TypeVocabSize, "encoder", () => new BertLayer(config));
        _cls = new BertLmHead(config);
        RegisterComponents();
        InitializeWeights();
    }

    public override Parameter WordEmbeddings => _bert.WordEmbeddings;

    /// <summary>The decoder bias [V] (<c>cls.predictions.bias</c>).</summary>
    public override Parameter DecoderBias => _cls.Bias;

    public override Tensor HeadStates(Tensor inputIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var hidden = _bert.call(inputIds, attentionMask);
        return _cls.call(hidden);
    }
}
