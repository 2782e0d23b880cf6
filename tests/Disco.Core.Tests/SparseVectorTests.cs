using CsCheck;
using Disco.Core.Vectors;

namespace Disco.Core.Tests;

public class SparseVectorTests
{
    private static readonly Gen<Dictionary<int, float>> Pairs =
        Gen.Dictionary(Gen.Int[0, 200], Gen.Float[0.001f, 10f])[0, 40];

    [Fact]
    public void Dot_equals_dense_dot_product()
    {
        Gen.Select(Pairs, Pairs).Sample((a, b) =>
        {
            var va = SparseVector.FromPairs(a);
            var vb = SparseVector.FromPairs(b);
            double dense = 0;
            foreach (var (id, w) in a)
            {
                if (b.TryGetValue(id, out var wb))
                    dense += (double)w * wb;
            }
            Assert.Equal(dense, va.Dot(vb), 9);
        });
    }

    [Fact]
    public void Prune_keeps_the_largest_weights_sorted_by_id()
    {
        Gen.Select(Pairs, Gen.Int[0, 50]).Sample((a, k) =>
        {
            var v = SparseVector.FromPairs(a).Prune(topK: k);
            var expected = a.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(k).Select(p => p.Key).Order().ToArray();
            Assert.Equal(expected, v.Indices);
        });
    }

    [Fact]
    public void Unsorted_indices_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SparseVector([3, 1], [1f, 2f]));
        Assert.Contains("strictly increasing", e.Message, StringComparison.Ordinal);
    }
}
