namespace Disco.Modeling.Onnx;

/// <summary>Weight format of an exported ONNX graph.</summary>
public enum OnnxQuantization
{
    /// <summary>float32 weights: the graph computes what the PyTorch path computes (to float rounding).</summary>
    None,

    /// <summary>int8 weights and dynamically quantized uint8 activations in the encoder's matrix products (VNNI on x86).</summary>
    DynamicInt8,
}
