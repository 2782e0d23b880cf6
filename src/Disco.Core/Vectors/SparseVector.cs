namespace Disco.Core.Vectors;

/// <summary>
/// A sparse vector over a vocabulary: strictly increasing term ids with their weights.
/// </summary>
public sealed class SparseVector
{
    public static readonly SparseVector Empty = new([], []);

    public SparseVector(int[] indices, float[] values)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        if (indices.Length != values.Length)
            throw new ArgumentException($"indices ({indices.Length}) and values ({values.Length}) differ in length");
        for (var i = 1; i < indices.Length; i++)
        {
            if (indices[i] <= indices[i - 1])
                throw new ArgumentException($"indices must be strictly increasing (position {i}: {indices[i - 1]} then {indices[i]})");
        }
        Indices = indices;
        Values = values;
    }

    public int[] Indices { get; }

    public float[] Values { get; }

    public int Count => Indices.Length;

    /// <summary>Builds a vector from unordered (id, weight) pairs; duplicate ids are summed, zeros dropped.</summary>
    public static SparseVector FromPairs(IEnumerable<KeyValuePair<int, float>> pairs)
    {
        var map = new SortedDictionary<int, float>();
        foreach (var (id, w) in pairs)
            map[id] = map.TryGetValue(id, out var old) ? old + w : w;
        var ids = new List<int>(map.Count);
        var ws = new List<float>(map.Count);
        foreach (var (id, w) in map)
        {
            if (w == 0)
                continue;
            ids.Add(id);
            ws.Add(w);
        }
        return new SparseVector([.. ids], [.. ws]);
    }

    /// <summary>Sparse dot product, accumulated in double so results do not depend on term order.</summary>
    public double Dot(SparseVector other)
    {
        double sum = 0;
        ForEachShared(other, (_, a, b) => sum += (double)a * b);
        return sum;
    }

    /// <summary>Visits the terms both vectors hold, in increasing id order, with both weights.</summary>
    public void ForEachShared(SparseVector other, Action<int, float, float> visit)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(visit);
        int i = 0, j = 0;
        while (i < Indices.Length && j < other.Indices.Length)
        {
            var a = Indices[i];
            var b = other.Indices[j];
            if (a == b)
            {
                visit(a, Values[i], other.Values[j]);
                i++;
                j++;
            }
            else if (a < b)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
    }

    /// <summary>
    /// Keeps the <paramref name="topK"/> largest weights (ties by smaller id) and drops weights
    /// below <paramref name="minWeight"/>. The result stays sorted by id.
    /// </summary>
    public SparseVector Prune(int? topK = null, float minWeight = 0f)
    {
        var keep = Enumerable.Range(0, Count).Where(i => Values[i] > 0 && Values[i] >= minWeight);
        if (topK is int k && k >= 0)
            keep = keep.OrderByDescending(i => Values[i]).ThenBy(i => Indices[i]).Take(k);
        var chosen = keep.Order().ToArray();
        if (chosen.Length == Count)
            return this;
        return new SparseVector([.. chosen.Select(i => Indices[i])], [.. chosen.Select(i => Values[i])]);
    }

    /// <summary>
    /// The one dense → sparse kernel: the entries of <paramref name="dense"/> (index = term id) that are
    /// positive and at least <paramref name="minWeight"/>, in increasing term order. SPLADE weights are
    /// never negative; NaN is dropped. Every encoder (TorchSharp through
    /// <c>Disco.Modeling.SparseRepresentation</c>, ONNX Runtime) turns its pooled output into a vector here.
    /// </summary>
    public static SparseVector FromDense(ReadOnlySpan<float> dense, float minWeight = 0f)
    {
        var count = 0;
        foreach (var w in dense)
        {
            if (Keeps(w, minWeight))
                count++;
        }
        if (count == 0)
            return Empty;
        var indices = new int[count];
        var values = new float[count];
        var k = 0;
        for (var i = 0; i < dense.Length && k < count; i++)
        {
            if (Keeps(dense[i], minWeight))
            {
                indices[k] = i;
                values[k++] = dense[i];
            }
        }
        return new SparseVector(indices, values);
    }

    private static bool Keeps(float weight, float minWeight) => weight > 0 && weight >= minWeight;
}
