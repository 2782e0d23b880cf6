using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// BERT with a sequence-classification head, as HuggingFace's <c>BertForSequenceClassification</c>:
/// <c>classifier(dropout(tanh(pooler.dense(h_[CLS]))))</c>. A cross-encoder reranker
/// (<c>cross-encoder/ms-marco-MiniLM-L-6-v2</c>) is this model with one label, whose logit is the
/// relevance score of a <c>[CLS] query [SEP] passage [SEP]</c> pair. Parameter names are
/// HuggingFace's (<c>bert.*</c>, <c>bert.pooler.dense.*</c>, <c>classifier.*</c>).
/// </summary>
public sealed class BertForSequenceClassification : SequenceClassificationModel
{
    [ComponentName(Name = "bert")]
    private readonly TransformerBody<BertLayer> _bert;

    [ComponentName(Name = "dropout")]
    private readonly DropoutLayer _dropout;

    [ComponentName(Name = "classifier")]
    private readonly Linear _classifier;

    /// <summary>Builds the model with HuggingFace's initialisation (normal(0, initializer_range) weights, zero biases).</summary>
    /// <param name="classifierDropout">Dropout before the classifier; null: config.json's <c>classifier_dropout</c>, else <c>hidden_dropout_prob</c>, as HuggingFace.</param>
    public BertForSequenceClassification(BertConfig config, int numLabels = 1, double? classifierDropout = null)
        : base(nameof(BertForSequenceClassification), config, numLabels)
    {
        _bert = new TransformerBody<BertLayer>("bert", config, config.TypeVocabSize, "encoder", () => new BertLayer(config), new BertPooler(config.HiddenSize));
        // HF uses classifier_dropout when the config sets it, else hidden_dropout_prob.
        _dropout = new DropoutLayer(classifierDropout ?? config.ClassifierDropout ?? config.HiddenDropoutProb);
        _classifier = nn.Linear(config.HiddenSize, numLabels);
        RegisterComponents();
        HfInitialization.Apply(this, config, _bert.WordEmbeddings);
    }

    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var hidden = _bert.Forward(inputIds, attentionMask, tokenTypeIds);
        var pooled = _bert.Pool(hidden);
        return _classifier.call(_dropout.call(pooled)).MoveToOuterDisposeScope();
    }
}
