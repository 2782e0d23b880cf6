using Disco.Core;
using Disco.Core.Vectors;

namespace Disco.Modeling;

/// <summary>
/// Settings of <see cref="SpladeEncoder"/>. Defaults follow SPLADE/DiSCo inference: max pooling,
/// 256 wordpieces, no pruning.
/// </summary>
/// <param name="Aggregation">Max (SPLADE v2/++, DiSCo) or sum (SPLADE v1) over tokens.</param>
/// <param name="MaxLength">Wordpieces per text including [CLS] and [SEP]; longer texts are cut on the right.</param>
/// <param name="BatchSize">Texts per forward pass (after sorting by length).</param>
/// <param name="TopK">Keep only the K highest weights of each vector (null: all).</param>
/// <param name="MinWeight">Drop weights below this value.</param>
/// <param name="Precision">Run a loaded model in float32 (default) or bfloat16.</param>
public sealed record SpladeEncoderOptions(
    SpladeAggregation Aggregation = SpladeAggregation.Max,
    int MaxLength = SpladeEncoderOptions.DefaultMaxLength,
    int BatchSize = SpladeEncoderOptions.DefaultBatchSize,
    int? TopK = null,
    float MinWeight = 0,
    SpladePrecision Precision = SpladePrecision.Fp32)
{
    /// <summary>Wordpieces per text in SPLADE and DiSCo (training and inference); shared with the ONNX encoder through <see cref="EncoderDefaults"/>.</summary>
    public const int DefaultMaxLength = EncoderDefaults.MaxLength;

    /// <summary>Texts per forward pass.</summary>
    public const int DefaultBatchSize = EncoderDefaults.BatchSize;

    internal void Validate(MaskedLmConfig config)
    {
        if (MaxLength < 2 || MaxLength > config.MaxPositionEmbeddings)
            throw new DiscoException($"{nameof(MaxLength)} {MaxLength} must be between 2 and the model's max_position_embeddings ({config.MaxPositionEmbeddings})");
        if (BatchSize < 1)
            throw new DiscoException($"{nameof(BatchSize)} must be at least 1, got {BatchSize}");
        if (TopK is < 0)
            throw new DiscoException($"{nameof(TopK)} must not be negative, got {TopK}");
        if (MinWeight < 0 || float.IsNaN(MinWeight))
            throw new DiscoException($"{nameof(MinWeight)} must not be negative, got {MinWeight}");
    }
}
