using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// A transformer encoder with a sequence-classification head: what a cross-encoder reranker needs
/// from any architecture. Subclasses (<see cref="BertForSequenceClassification"/>,
/// <see cref="DistilBertForSequenceClassification"/>) carry HuggingFace's parameter names, so
/// <see cref="CrossEncoderCheckpoint"/> loads and saves them by name; each architecture builds its
/// own (<see cref="MaskedLmArchitecture.CreateSequenceClassifier"/>).
/// </summary>
public abstract class SequenceClassificationModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private protected SequenceClassificationModel(string name, MaskedLmConfig config, int numLabels) : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(numLabels, 1);
        Config = config;
        NumLabels = numLabels;
    }

    /// <summary>The encoder's architecture (config.json).</summary>
    public MaskedLmConfig Config { get; }

    public int NumLabels { get; }

    /// <param name="inputIds">[B, T] int64 token ids.</param>
    /// <param name="attentionMask">[B, T] int64, 1 for tokens and 0 for padding.</param>
    /// <param name="tokenTypeIds">[B, T] int64 segment ids (0 query, 1 passage); ignored by architectures without token types (DistilBERT).</param>
    /// <returns>Logits [B, num_labels].</returns>
    public abstract override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds);
}
