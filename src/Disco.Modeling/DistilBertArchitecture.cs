using Disco.Modeling.Onnx;

namespace Disco.Modeling;

/// <summary>
/// <c>model_type: distilbert</c>, HuggingFace's <c>DistilBertForMaskedLM</c>: keys
/// <c>distilbert.embeddings.*</c>, <c>distilbert.transformer.layer.N.*</c>, <c>vocab_transform</c>,
/// <c>vocab_layer_norm</c>, <c>vocab_projector.bias</c>; <c>vocab_projector.weight</c> is tied to the
/// word embeddings and absent from saved files.
/// </summary>
internal sealed class DistilBertArchitecture : MaskedLmArchitecture
{
    public override string ModelType => "distilbert";

    public override string ClassName => nameof(DistilBertForMaskedLM);

    public override string SequenceClassifierClassName => nameof(DistilBertForSequenceClassification);

    internal override ArchitectureWeights Weights { get; } = new(
        "distilbert.embeddings.word_embeddings.weight",
        "distilbert.embeddings.position_embeddings.weight",
        null,
        "distilbert.embeddings.LayerNorm",
        i => new LayerWeights(
            $"distilbert.transformer.layer.{i}.attention.q_lin",
            $"distilbert.transformer.layer.{i}.attention.k_lin",
            $"distilbert.transformer.layer.{i}.attention.v_lin",
            $"distilbert.transformer.layer.{i}.attention.out_lin",
            $"distilbert.transformer.layer.{i}.sa_layer_norm",
            $"distilbert.transformer.layer.{i}.ffn.lin1",
            $"distilbert.transformer.layer.{i}.ffn.lin2",
            $"distilbert.transformer.layer.{i}.output_layer_norm"),
        "vocab_transform",
        "vocab_layer_norm",
        "vocab_projector.bias");

    public override MaskedLmConfig ParseConfig(HfConfigReader reader) => DistilBertConfig.Parse(reader);

    public override MaskedLanguageModel Create(MaskedLmConfig config) => new DistilBertForMaskedLM((DistilBertConfig)config);

    public override SequenceClassificationModel CreateSequenceClassifier(MaskedLmConfig config, int numLabels, double? classifierDropout) =>
        new DistilBertForSequenceClassification((DistilBertConfig)config, numLabels, classifierDropout);

    public override bool IsMaskedLmHead(string canonical) =>
        canonical.StartsWith("vocab_transform.", StringComparison.Ordinal)
        || canonical.StartsWith("vocab_layer_norm.", StringComparison.Ordinal)
        || canonical.StartsWith("vocab_projector.", StringComparison.Ordinal);

    /// <summary>Also accepts the keys of a bare DistilBertModel (no <c>distilbert.</c> prefix).</summary>
    public override string CanonicalName(string key)
    {
        var name = base.CanonicalName(key);
        if (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("transformer.", StringComparison.Ordinal))
            name = "distilbert." + name;
        return name;
    }

    public override bool IsIgnored(string canonical) =>
        base.IsIgnored(canonical) || canonical == "vocab_projector.weight";
}
