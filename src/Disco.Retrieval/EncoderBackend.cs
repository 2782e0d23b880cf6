namespace Disco.Retrieval;

/// <summary>Which runtime encodes with a model folder's network.</summary>
public enum EncoderBackend
{
    /// <summary>What the folder holds: TorchSharp when it has PyTorch weights, else ONNX Runtime when it has a graph.</summary>
    Auto,

    /// <summary>TorchSharp over the HuggingFace checkpoint (safetensors or pytorch_model.bin).</summary>
    Torch,

    /// <summary>ONNX Runtime over <c>onnx/model.onnx</c>, <c>model.onnx</c> or <see cref="EncoderBackendOptions.OnnxFile"/>.</summary>
    Onnx,
}
