using Disco.Modeling.Onnx;

namespace Disco.Modeling;

/// <summary>
/// One model family (a HuggingFace <c>model_type</c>): how its config.json is read, how its models
/// (the masked-LM of SPLADE, the sequence classifier of a cross-encoder) are built, and how stored
/// weight names map onto their parameters. Adding an architecture means one subclass of this, its
/// config class and its modules, listed in <see cref="MaskedLmArchitectures"/>.
/// </summary>
public abstract class MaskedLmArchitecture
{
    /// <summary>The <c>model_type</c> value of config.json.</summary>
    public abstract string ModelType { get; }

    /// <summary>HuggingFace's class name, written to <c>architectures</c> and used in load warnings.</summary>
    public abstract string ClassName { get; }

    /// <summary>HuggingFace's class name of the family's sequence classifier (a cross-encoder reranker).</summary>
    public abstract string SequenceClassifierClassName { get; }

    /// <summary>Reads the family's config from config.json's members.</summary>
    public abstract MaskedLmConfig ParseConfig(HfConfigReader reader);

    /// <summary>Builds a randomly initialised model (HuggingFace's initialisation).</summary>
    public abstract MaskedLanguageModel Create(MaskedLmConfig config);

    /// <summary>Builds a randomly initialised sequence classifier (HuggingFace's initialisation).</summary>
    /// <param name="classifierDropout">Dropout before the classifier; null: the config's, as HuggingFace.</param>
    public abstract SequenceClassificationModel CreateSequenceClassifier(MaskedLmConfig config, int numLabels, double? classifierDropout);

    /// <summary>Whether a canonical key belongs to the masked-LM head, which a sequence classifier does not have.</summary>
    public abstract bool IsMaskedLmHead(string canonical);

    /// <summary>
    /// The parameter name a stored key means under HuggingFace's loading rules (e.g. a missing
    /// base-model prefix for checkpoints of the bare encoder, legacy LayerNorm gamma/beta).
    /// </summary>
    public virtual string CanonicalName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.EndsWith("LayerNorm.gamma", StringComparison.Ordinal))
            return key[..^"gamma".Length] + "weight";
        if (key.EndsWith("LayerNorm.beta", StringComparison.Ordinal))
            return key[..^"beta".Length] + "bias";
        return key;
    }

    /// <summary>Stored keys HuggingFace drops without a warning (buffers, tied decoder weights, unused heads).</summary>
    public virtual bool IsIgnored(string canonical) => canonical.EndsWith("position_ids", StringComparison.Ordinal);

    /// <summary>The parameter names of each weight role, for the ONNX exporter.</summary>
    internal abstract ArchitectureWeights Weights { get; }

    /// <summary>Older names of a parameter, used only when the checkpoint lacks the current name.</summary>
    public virtual IReadOnlyDictionary<string, string> LegacyNames { get; } = new Dictionary<string, string>();
}
