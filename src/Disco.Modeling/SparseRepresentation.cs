using Disco.Core.Vectors;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// The one dense → sparse kernel: a SPLADE representation over the vocabulary becomes the sparse
/// vector of its positive weights. Inference (<see cref="SpladeEncoder"/>) and training (document
/// caches, validation, teacher scoring) all go through it, so they keep exactly the same terms.
/// </summary>
public static class SparseRepresentation
{
    /// <summary>
    /// The entries of <paramref name="dense"/> that are positive and at least <paramref name="minWeight"/>
    /// (<see cref="SparseVector.FromDense"/>, which the ONNX encoder shares).
    /// </summary>
    public static SparseVector FromDense(ReadOnlySpan<float> dense, float minWeight = 0) => SparseVector.FromDense(dense, minWeight);

    /// <summary>One vector per row of a [B, V] representation (any device or floating type).</summary>
    public static SparseVector[] FromDense(Tensor dense, float minWeight = 0)
    {
        ArgumentNullException.ThrowIfNull(dense);
        if (dense.dim() != 2)
            throw new ArgumentException($"expected a [batch, vocabulary] tensor, got {dense.dim()} dimensions", nameof(dense));
        var rows = (int)dense.shape[0];
        var vocabulary = (int)dense.shape[1];
        float[] values;
        using (no_grad())
        using (var cpuFloat = dense.detach().to(CPU).to_type(ScalarType.Float32))
            values = cpuFloat.data<float>().ToArray();
        var result = new SparseVector[rows];
        for (var r = 0; r < rows; r++)
            result[r] = FromDense(values.AsSpan(r * vocabulary, vocabulary), minWeight);
        return result;
    }
}
