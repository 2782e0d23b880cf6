using Disco.Core;
using Disco.Core.Vectors;

namespace Disco.Onnx;

/// <summary>
/// Settings of <see cref="OnnxSpladeEncoder"/>; tokenization, truncation and pooling are those of the
/// TorchSharp encoder (same defaults, <see cref="EncoderDefaults"/>).
/// </summary>
/// <param name="Aggregation">Max or sum over tokens, for graphs that output logits (pooled graphs pool themselves).</param>
/// <param name="MaxLength">Wordpieces per text including [CLS] and [SEP]; longer texts are cut on the right.</param>
/// <param name="BatchSize">Texts per run (after sorting by length).</param>
/// <param name="TopK">Keep only the K highest weights of each vector (null: all).</param>
/// <param name="MinWeight">Drop weights below this value.</param>
/// <param name="Threads">ONNX Runtime intra-op threads (null: <see cref="EncoderDefaults.Threads"/>); inter-op is always 1 (one graph runs at a time).</param>
/// <param name="OnnxFile">The graph's file name inside the folder (null: <c>onnx/model.onnx</c>, else <c>model.onnx</c>).</param>
/// <param name="Device">CPU, or CUDA through ONNX Runtime's CUDA execution provider.</param>
/// <param name="OptimizationLevel">
/// ONNX Runtime graph optimizations: <c>all</c> (default; fuses LayerNorm, GELU, attention and
/// MatMul+Add patterns; results stay within float rounding of the unfused graph), <c>basic</c>, or <c>none</c>.
/// </param>
public sealed record OnnxEncoderOptions(
    SpladeAggregation Aggregation = SpladeAggregation.Max,
    int MaxLength = EncoderDefaults.MaxLength,
    int BatchSize = EncoderDefaults.BatchSize,
    int? TopK = null,
    float MinWeight = 0,
    int? Threads = null,
    string? OnnxFile = null,
    ComputeDevice Device = default,
    OnnxOptimization OptimizationLevel = OnnxOptimization.All)
{
    internal void Validate()
    {
        if (MaxLength < 2)
            throw new DiscoException($"max length {MaxLength} must be at least 2");
        if (BatchSize < 1)
            throw new DiscoException($"batch size must be at least 1, got {BatchSize}");
        // top-k 0 would write vectors without a single term (issue 15); no top-k keeps them all.
        if (TopK is < 1)
            throw new DiscoException($"top-k must be at least 1, got {TopK}");
        if (MinWeight < 0 || float.IsNaN(MinWeight))
            throw new DiscoException($"minimum weight must not be negative, got {MinWeight}");
        if (Threads is < 1)
            throw new DiscoException($"threads must be at least 1, got {Threads}");
    }
}
