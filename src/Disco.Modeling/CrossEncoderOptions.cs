using Disco.Core;

namespace Disco.Modeling;

/// <summary>Settings of <see cref="CrossEncoder"/>.</summary>
/// <param name="MaxLength">Tokens per pair including [CLS] and both [SEP]; the passage is cut first (sentence-transformers' CrossEncoder and SPLADE's reranker use 512).</param>
/// <param name="BatchSize">Pairs per forward pass (after sorting by length).</param>
/// <param name="Precision">Run a loaded model in float32 (default) or bfloat16.</param>
public sealed record CrossEncoderOptions(
    int MaxLength = CrossEncoderOptions.DefaultMaxLength,
    int BatchSize = CrossEncoderOptions.DefaultBatchSize,
    SpladePrecision Precision = SpladePrecision.Fp32)
{
    /// <summary>BERT's position limit, the usual cross-encoder input length.</summary>
    public const int DefaultMaxLength = 512;

    /// <summary>Pairs per forward pass.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Throws when a value cannot work with <paramref name="config"/>; messages name the property.</summary>
    public void Validate(MaskedLmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (MaxLength < 3 || MaxLength > config.MaxPositionEmbeddings)
            throw new DiscoException($"{nameof(MaxLength)} {MaxLength} must be between 3 and the model's max_position_embeddings ({config.MaxPositionEmbeddings})");
        if (BatchSize < 1)
            throw new DiscoException($"{nameof(BatchSize)} must be at least 1, got {BatchSize}");
    }
}
