using Disco.Core;

namespace Disco.Retrieval;

/// <summary>The encoder backends <see cref="ModelLoader"/> knows by default, most specific first.</summary>
public static class EncoderFactories
{
    /// <summary>
    /// Asked in order; the first factory that can load a folder loads it. A new backend adds its
    /// factory here, ahead of the ones whose files it shares. A folder with both PyTorch weights and
    /// an ONNX graph (common on the hub) loads with TorchSharp, the exact reference path.
    /// </summary>
    public static IReadOnlyList<IEncoderFactory> Default { get; } = Create(new EncoderBackendOptions());

    /// <summary>Asked before <see cref="Default"/> for <see cref="EncoderRole.Query"/>: doc-only models' idf weights.</summary>
    public static IReadOnlyList<IEncoderFactory> QueryOnly { get; } = [new IdfQueryEncoderFactory()];

    /// <summary>The factories for <paramref name="options"/>: only the chosen backend's, or (Auto) TorchSharp then ONNX Runtime.</summary>
    public static IReadOnlyList<IEncoderFactory> Create(EncoderBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Backend == EncoderBackend.Torch && options.OnnxFile is not null)
            throw new DiscoException($"an ONNX file ({options.OnnxFile}) was given with the torch backend; use the onnx backend");
        if (options.Backend == EncoderBackend.Torch && options.Device.IsCuda)
            throw new DiscoException($"device {options.Device}: encoding with TorchSharp runs on the CPU; for CUDA export the model to ONNX (disco export onnx) and use the onnx backend");
        var onnx = new OnnxEncoderFactory(options.OnnxFile, options.Device, options.Threads);
        return options.Backend switch
        {
            EncoderBackend.Torch => [new SpladeEncoderFactory()],
            EncoderBackend.Onnx => [onnx],
            // An ONNX file or a CUDA device only make sense for ONNX Runtime: never fall back to a CPU TorchSharp encoder.
            _ when options.OnnxFile is not null || options.Device.IsCuda => [onnx],
            _ => [new SpladeEncoderFactory(), onnx],
        };
    }
}
