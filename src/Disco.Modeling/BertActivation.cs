namespace Disco.Modeling;

/// <summary>The hidden activation named by <c>hidden_act</c> in config.json.</summary>
public enum BertActivation
{
    /// <summary><c>gelu</c>: the exact (erf) GELU of the original BERT.</summary>
    Gelu,

    /// <summary><c>gelu_new</c>, <c>gelu_pytorch_tanh</c>: the tanh approximation.</summary>
    GeluTanh,

    /// <summary><c>relu</c>.</summary>
    Relu,
}
