using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// DistilBERT with its masked-language-model head, as HuggingFace's <c>DistilBertForMaskedLM</c>:
/// <c>distilbert.*</c> encoder, then <c>vocab_transform</c> → activation → <c>vocab_layer_norm</c>
/// → <c>vocab_projector</c>, whose weight is the word-embedding matrix (tied) and whose bias is
/// <c>vocab_projector.bias</c>. Dropout is active only in training mode.
/// </summary>
public sealed class DistilBertForMaskedLM : MaskedLanguageModel
{
    [ComponentName(Name = "distilbert")]
    private readonly TransformerBody<DistilBertLayer> _distilbert;

    [ComponentName(Name = "vocab_transform")]
    private readonly Linear _vocabTransform;

    [ComponentName(Name = "vocab_layer_norm")]
    private readonly LayerNorm _vocabLayerNorm;

    [ComponentName(Name = "vocab_projector")]
    private readonly TiedProjectionBias _vocabProjector;

    private readonly BertActivation _activation;

    /// <summary>Builds the model with HuggingFace's initialisation (normal(0, initializer_range) weights).</summary>
    public DistilBertForMaskedLM(DistilBertConfig config) : base(nameof(DistilBertForMaskedLM), config)
    {
        _distilbert = new TransformerBody<DistilBertLayer>("distilbert", config, 0, "transformer", () => new DistilBertLayer(config));
        _vocabTransform = nn.Linear(config.HiddenSize, config.HiddenSize);
        _vocabLayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _vocabProjector = new TiedProjectionBias("vocab_projector", config.VocabSize);
        _activation = config.HiddenAct;
        RegisterComponents();
        InitializeWeights();
    }

    public override Parameter WordEmbeddings => _distilbert.WordEmbeddings;

    /// <summary>The decoder bias [V] (<c>vocab_projector.bias</c>).</summary>
    public override Parameter DecoderBias => _vocabProjector.Bias;

    public override Tensor HeadStates(Tensor inputIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var hidden = _distilbert.call(inputIds, attentionMask);
        return _vocabLayerNorm.call(BertDense.Activate(_vocabTransform.call(hidden), _activation)).MoveToOuterDisposeScope();
    }
}
