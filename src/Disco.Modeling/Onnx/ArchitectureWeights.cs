namespace Disco.Modeling.Onnx;

/// <summary>
/// Where an architecture keeps each weight, by role, as HuggingFace parameter-name prefixes (a linear or
/// LayerNorm prefix is followed by <c>.weight</c>/<c>.bias</c>): what the ONNX exporter needs to write
/// the same graph for BERT and DistilBERT.
/// </summary>
internal sealed record ArchitectureWeights(
    string WordEmbeddings,
    string PositionEmbeddings,
    string? TokenTypeEmbeddings,
    string EmbeddingNorm,
    Func<int, LayerWeights> Layer,
    string HeadTransform,
    string HeadNorm,
    string DecoderBias);

/// <summary>The weights of one transformer block, by role (prefixes of linear and LayerNorm parameters).</summary>
internal sealed record LayerWeights(
    string Query,
    string Key,
    string Value,
    string AttentionOutput,
    string AttentionNorm,
    string FeedForwardIn,
    string FeedForwardOut,
    string FeedForwardNorm);
