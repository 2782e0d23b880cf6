using Disco.Core.Vectors;

namespace Disco.Modeling.Tests;

/// <summary>The fixture tolerances: 1e-4 absolute or 1e-3 relative; non-zero sets equal except below 1e-5.</summary>
public static class VectorAssert
{
    public static void Close(SparseVector expected, SparseVector actual, string label)
    {
        var e = ToMap(expected);
        var a = ToMap(actual);
        foreach (var (id, w) in e)
        {
            if (!a.TryGetValue(id, out var got))
            {
                Assert.True(w < 1e-5, $"{label}: term {id} (expected {w}) missing");
                continue;
            }
            Assert.True(Math.Abs(got - w) <= 1e-4 || Math.Abs(got - w) <= 1e-3 * Math.Abs(w), $"{label}: term {id} expected {w}, got {got}");
        }
        foreach (var (id, got) in a)
            Assert.True(e.ContainsKey(id) || got < 1e-5, $"{label}: unexpected term {id} = {got}");
    }

    private static Dictionary<int, double> ToMap(SparseVector v)
    {
        var map = new Dictionary<int, double>();
        for (var i = 0; i < v.Count; i++)
            map[v.Indices[i]] = v.Values[i];
        return map;
    }
}
