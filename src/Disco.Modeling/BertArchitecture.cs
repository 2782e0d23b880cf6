using Disco.Modeling.Onnx;

namespace Disco.Modeling;

/// <summary>
/// <c>model_type: bert</c>, HuggingFace's <c>BertForMaskedLM</c> (docs/checkpoints.md lists its keys).
/// </summary>
internal sealed class BertArchitecture : MaskedLmArchitecture
{
    public override string ModelType => "bert";

    public override string ClassName => nameof(BertForMaskedLM);

    public override string SequenceClassifierClassName => nameof(BertForSequenceClassification);

    public override IReadOnlyDictionary<string, string> LegacyNames { get; } =
        new Dictionary<string, string> { ["cls.predictions.bias"] = "cls.predictions.decoder.bias" };

    internal override ArchitectureWeights Weights { get; } = new(
        "bert.embeddings.word_embeddings.weight",
        "bert.embeddings.position_embeddings.weight",
        "bert.embeddings.token_type_embeddings.weight",
        "bert.embeddings.LayerNorm",
        i => new LayerWeights(
            $"bert.encoder.layer.{i}.attention.self.query",
            $"bert.encoder.layer.{i}.attention.self.key",
            $"bert.encoder.layer.{i}.attention.self.value",
            $"bert.encoder.layer.{i}.attention.output.dense",
            $"bert.encoder.layer.{i}.attention.output.LayerNorm",
            $"bert.encoder.layer.{i}.intermediate.dense",
            $"bert.encoder.layer.{i}.output.dense",
            $"bert.encoder.layer.{i}.output.LayerNorm"),
        "cls.predictions.transform.dense",
        "cls.predictions.transform.LayerNorm",
        "cls.predictions.bias");

    public override MaskedLmConfig ParseConfig(HfConfigReader reader) => BertConfig.Parse(reader);

    public override MaskedLanguageModel Create(MaskedLmConfig config) => new BertForMaskedLM((BertConfig)config);

    public override SequenceClassificationModel CreateSequenceClassifier(MaskedLmConfig config, int numLabels, double? classifierDropout) =>
        new BertForSequenceClassification((BertConfig)config, numLabels, classifierDropout);

    public override bool IsMaskedLmHead(string canonical) => canonical.StartsWith("cls.", StringComparison.Ordinal);

    /// <summary>Also accepts the keys of a bare BertModel (no <c>bert.</c> prefix).</summary>
    public override string CanonicalName(string key)
    {
        var name = base.CanonicalName(key);
        if (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal) || name.StartsWith("pooler.", StringComparison.Ordinal))
            name = "bert." + name;
        return name;
    }

    public override bool IsIgnored(string canonical) =>
        base.IsIgnored(canonical)
        // BertForMaskedLM has no pooler.
        || canonical.StartsWith("bert.pooler.", StringComparison.Ordinal)
        // Tied to the word embeddings; HF re-ties after loading, so the embedding matrix wins.
        || canonical == "cls.predictions.decoder.weight";
}
