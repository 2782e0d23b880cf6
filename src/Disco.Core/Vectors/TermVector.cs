namespace Disco.Core.Vectors;

/// <summary>A named sparse vector whose terms are vocabulary strings (the vectors JSONL record).</summary>
public sealed record TermVector(string Id, string[] Terms, float[] Weights)
{
    /// <summary>Spells out a vector over a vocabulary (term id → string).</summary>
    public static TermVector FromVector(string id, SparseVector vector, IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new TermVector(id, [.. vector.Indices.Select(i => vocabulary[i])], vector.Values);
    }
}
