using Disco.Core.Vectors;

namespace Disco.Modeling.Onnx;

/// <summary>Settings of <see cref="OnnxExporter"/>.</summary>
/// <param name="Pooling">
/// Pool inside the graph: the output is the SPLADE vector <c>sparse_weights [batch, vocab]</c>
/// (what Anserini and other engines ask for) instead of <c>logits [batch, sequence, vocab]</c>.
/// </param>
/// <param name="Aggregation">Max (SPLADE v2/++, DiSCo) or sum over tokens, for pooled graphs.</param>
/// <param name="Quantization">
/// <see cref="OnnxQuantization.DynamicInt8"/> writes int8 weights (per output column, symmetric) with dynamic
/// uint8 activation quantization for the encoder's matrix products, as ONNX Runtime's dynamic
/// quantization does; the vocabulary projection stays float32. Not exact: docs/benchmarks.md gives its cost.
/// </param>
public sealed record OnnxExportOptions(
    bool Pooling = false,
    SpladeAggregation Aggregation = SpladeAggregation.Max,
    OnnxQuantization Quantization = OnnxQuantization.None);
