using Disco.Core.Vectors;
using static TorchSharp.torch;

namespace Disco.Modeling.Tests;

/// <summary>Runs the model the plain way (full logits, then pooling), as the golden reference does.</summary>
public static class ModelRunner
{
    public static SparseVector[] Represent(MaskedLanguageModel model, IReadOnlyList<int[]> sequences, SpladeAggregation aggregation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var length = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * length];
        var mask = new long[sequences.Count * length];
        for (var b = 0; b < sequences.Count; b++)
        {
            for (var t = 0; t < sequences[b].Length; t++)
            {
                ids[b * length + t] = sequences[b][t];
                mask[b * length + t] = 1;
            }
        }
        var idsT = tensor(ids, [sequences.Count, length]);
        var maskT = tensor(mask, [sequences.Count, length]);
        var pooled = SpladePooling.Represent(model.call(idsT, maskT), maskT, aggregation);
        var result = new SparseVector[sequences.Count];
        for (var b = 0; b < sequences.Count; b++)
            result[b] = Sparse(pooled[b].data<float>().ToArray());
        return result;
    }

    public static SparseVector Sparse(float[] dense) =>
        SparseVector.FromPairs(dense.Select((w, i) => new KeyValuePair<int, float>(i, w)).Where(p => p.Value != 0));
}
