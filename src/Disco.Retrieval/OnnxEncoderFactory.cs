using Disco.Core;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Onnx;

namespace Disco.Retrieval;

/// <summary>
/// Model folders with an ONNX graph (<c>onnx/model.onnx</c>, <c>model.onnx</c>, or the file named by
/// <see cref="EncoderBackendOptions.OnnxFile"/>) run by ONNX Runtime. The adapter between the shared
/// encoder settings (<see cref="SpladeEncoderOptions"/>) and <see cref="OnnxEncoderOptions"/> lives
/// here, so <c>Disco.Onnx</c> never references TorchSharp.
/// </summary>
public sealed class OnnxEncoderFactory(string? onnxFile = null, ComputeDevice device = default, int? threads = null) : IEncoderFactory
{
    public string Name => "SPLADE (ONNX Runtime)";

    public string? OnnxFile { get; } = onnxFile;

    public ComputeDevice Device { get; } = device;

    public bool CanLoad(string directory) =>
        OnnxFile is null ? OnnxModelFolder.Find(directory) is not null : OnnxModelFolder.Find(directory, OnnxFile) is not null;

    public ISparseEncoder Load(string directory, SpladeEncoderOptions options, TextWriter? warnings)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Precision != SpladePrecision.Fp32)
            throw new DiscoException($"{directory}: bfloat16 precision is a TorchSharp mode; an ONNX graph runs as stored (for int8 pick a quantized graph, e.g. --onnx-file model_quantized.onnx)");
        return OnnxSpladeEncoder.Load(directory, new OnnxEncoderOptions(
            options.Aggregation, options.MaxLength, options.BatchSize, options.TopK, options.MinWeight, threads, OnnxFile, Device));
    }
}
