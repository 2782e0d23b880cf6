namespace Disco.Modeling;

/// <summary>The number format <see cref="SpladeEncoder"/> runs the model in.</summary>
public enum SpladePrecision
{
    /// <summary>float32, as stored; matches the reference to the fixture tolerances.</summary>
    Fp32,

    /// <summary>
    /// bfloat16 weights and activations: about twice the speed on CPUs with AVX512_BF16/AMX, at
    /// about 0.5% relative error in the vectors (docs/benchmarks.md, "Encoder").
    /// </summary>
    Bf16,
}
