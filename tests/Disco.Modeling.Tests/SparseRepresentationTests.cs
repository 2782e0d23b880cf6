using CsCheck;
using static TorchSharp.torch;

namespace Disco.Modeling.Tests;

public class SparseRepresentationTests
{
    [Fact]
    public void Rows_keep_exactly_the_positive_weights_at_or_above_the_minimum()
    {
        // Zeros and negatives are common in the generated rows, so every branch of the filter runs.
        var rows = Gen.Float[-1f, 2f].Select(w => w < 0.3f ? 0f : w - 0.5f).Array[12];
        Gen.Select(rows.Array[1, 5], Gen.Float[0f, 1f]).Sample((batch, minWeight) =>
        {
            using var dense = tensor(batch.SelectMany(r => r).ToArray(), [batch.Length, 12]);
            var vectors = SparseRepresentation.FromDense(dense, minWeight);
            Assert.Equal(batch.Length, vectors.Length);
            for (var r = 0; r < batch.Length; r++)
            {
                var expected = Enumerable.Range(0, 12).Where(j => batch[r][j] > 0 && batch[r][j] >= minWeight).ToArray();
                Assert.Equal(expected, vectors[r].Indices);
                Assert.Equal(expected.Select(j => batch[r][j]), vectors[r].Values);
            }
        });
    }

    [Fact]
    public void A_float64_tensor_is_read_as_float32()
    {
        using var dense = tensor(new[] { 0.0, 1.5, 0.0, 2.25 }, [1, 4]);
        var vector = Assert.Single(SparseRepresentation.FromDense(dense));
        Assert.Equal([1, 3], vector.Indices);
        Assert.Equal([1.5f, 2.25f], vector.Values);
    }
}
