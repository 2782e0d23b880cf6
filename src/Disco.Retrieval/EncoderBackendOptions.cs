using Disco.Core;

namespace Disco.Retrieval;

/// <summary>
/// How <see cref="EncoderFactories.Create"/> picks and configures the runtime: the backend, the ONNX
/// graph's file name and the device. Settings of the encoding itself (pooling, length, batch) stay
/// in <see cref="Modeling.SpladeEncoderOptions"/>, shared by every backend.
/// </summary>
/// <param name="Backend">Torch, ONNX, or (default) what the folder holds.</param>
/// <param name="OnnxFile">The graph's file in the folder, e.g. <c>model_quantized.onnx</c> (null: <c>model.onnx</c>); only for ONNX.</param>
/// <param name="Device">CPU (default) or CUDA; CUDA encoding goes through ONNX Runtime's CUDA execution provider.</param>
/// <param name="Threads">ONNX Runtime intra-op threads (null: <see cref="Core.Vectors.EncoderDefaults.Threads"/>); TorchSharp's are a process-wide setting (<see cref="Modeling.TorchThreads"/>).</param>
public sealed record EncoderBackendOptions(
    EncoderBackend Backend = EncoderBackend.Auto,
    string? OnnxFile = null,
    ComputeDevice Device = default,
    int? Threads = null);
