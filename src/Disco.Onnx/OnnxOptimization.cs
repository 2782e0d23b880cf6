namespace Disco.Onnx;

/// <summary>ONNX Runtime's graph optimization level for a session.</summary>
public enum OnnxOptimization
{
    /// <summary>Every optimization, including the transformer fusions (attention, LayerNorm, GELU).</summary>
    All,

    /// <summary>Constant folding and redundant-node elimination only.</summary>
    Basic,

    /// <summary>The graph as stored.</summary>
    None,
}
