namespace Disco.Core.Vectors;

/// <summary>A named sparse vector whose terms are vocabulary strings (the vectors JSONL record).</summary>
public sealed record TermVector(string Id, string[] Terms, float[] Weights)
{
    /// <summary>
    /// The terms' ids in <see cref="Table"/> (-1 for a term not in it), when the reader resolved
    /// them as it parsed (<see cref="VectorFile.Read(string, bool, TermTable?)"/>); a search over the
    /// index that owns <see cref="Table"/> then skips looking the strings up again.
    /// </summary>
    public int[]? TermIds { get; init; }

    /// <summary>The table <see cref="TermIds"/> index into; null when the terms were not resolved.</summary>
    public TermTable? Table { get; init; }

    /// <summary>Spells out a vector over a vocabulary (term id → string).</summary>
    public static TermVector FromVector(string id, SparseVector vector, IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new TermVector(id, [.. vector.Indices.Select(i => vocabulary[i])], vector.Values);
    }
}
