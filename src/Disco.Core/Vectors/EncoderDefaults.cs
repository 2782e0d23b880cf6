namespace Disco.Core.Vectors;

/// <summary>The defaults every SPLADE encoder (TorchSharp, ONNX Runtime) shares, in one place.</summary>
public static class EncoderDefaults
{
    /// <summary>Wordpieces per text including [CLS] and [SEP] (SPLADE and DiSCo use 256 for queries and documents).</summary>
    public const int MaxLength = 256;

    /// <summary>Texts per forward pass (after sorting by length).</summary>
    public const int BatchSize = 32;

    /// <summary>
    /// Threads for encoding when none are given: one per core. The CLI's <c>--threads</c> default
    /// (for libtorch's process-wide setting and its own work) and ONNX Runtime's intra-op threads.
    /// </summary>
    public static int Threads => Environment.ProcessorCount;
}
