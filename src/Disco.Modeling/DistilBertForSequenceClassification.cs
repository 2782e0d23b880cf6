using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// DistilBERT with a sequence-classification head, as HuggingFace's
/// <c>DistilBertForSequenceClassification</c>:
/// <c>classifier(dropout(relu(pre_classifier(h_0))))</c>, h_0 the last hidden state of the first
/// token ([CLS]). A DistilBERT cross-encoder reranker is this model with one label. DistilBERT has
/// no token types: the pair's segment ids are ignored. Parameter names are HuggingFace's
/// (<c>distilbert.*</c>, <c>pre_classifier.*</c>, <c>classifier.*</c>).
/// </summary>
public sealed class DistilBertForSequenceClassification : SequenceClassificationModel
{
    [ComponentName(Name = "distilbert")]
    private readonly TransformerBody<DistilBertLayer> _distilbert;

    [ComponentName(Name = "pre_classifier")]
    private readonly Linear _preClassifier;

    [ComponentName(Name = "classifier")]
    private readonly Linear _classifier;

    [ComponentName(Name = "dropout")]
    private readonly DropoutLayer _dropout;

    /// <summary>Builds the model with HuggingFace's initialisation (normal(0, initializer_range) weights, zero biases).</summary>
    /// <param name="classifierDropout">Dropout before the classifier; null: config.json's <c>seq_classif_dropout</c>, as HuggingFace.</param>
    public DistilBertForSequenceClassification(DistilBertConfig config, int numLabels = 1, double? classifierDropout = null)
        : base(nameof(DistilBertForSequenceClassification), config, numLabels)
    {
        _distilbert = new TransformerBody<DistilBertLayer>("distilbert", config, 0, "transformer", () => new DistilBertLayer(config));
        _preClassifier = nn.Linear(config.HiddenSize, config.HiddenSize);
        _classifier = nn.Linear(config.HiddenSize, numLabels);
        _dropout = new DropoutLayer(classifierDropout ?? config.SeqClassifDropout);
        RegisterComponents();
        HfInitialization.Apply(this, config, _distilbert.WordEmbeddings);
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var hidden = _distilbert.call(inputIds, attentionMask);
        var pooled = nn.functional.relu(_preClassifier.call(hidden.select(1, 0)));
        return _classifier.call(_dropout.call(pooled)).MoveToOuterDisposeScope();
    }
}
