namespace Disco.Index;

/// <summary>
/// Maps an encoder's term ids (positions in its vocabulary) to one index's term ids, built once per
/// encoder and index, so a query vector becomes a <see cref="SearchQuery"/> without turning every
/// term into a string and looking it up again.
/// </summary>
public sealed class VocabularyMap
{
    private readonly int[] _indexTerms;

    public VocabularyMap(SparseIndex index, IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(vocabulary);
        Index = index;
        Vocabulary = vocabulary;
        _indexTerms = new int[vocabulary.Count];
        var seen = new HashSet<string>(vocabulary.Count, StringComparer.Ordinal);
        for (var i = 0; i < _indexTerms.Length; i++)
        {
            _indexTerms[i] = index.TermId(vocabulary[i]) ?? -1;
            HasDuplicateStrings |= !seen.Add(vocabulary[i]);
        }
    }

    public SparseIndex Index { get; }

    /// <summary>The encoder's vocabulary strings by term id.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>True when two term ids share a string; queries then merge them by string, as the string path did.</summary>
    public bool HasDuplicateStrings { get; }

    /// <summary>The index term id of encoder term <paramref name="vocabularyId"/>, or -1 when no document has it.</summary>
    public int IndexTerm(int vocabularyId)
    {
        if ((uint)vocabularyId >= (uint)_indexTerms.Length)
            throw new ArgumentOutOfRangeException(nameof(vocabularyId), vocabularyId, $"term id outside the vocabulary (0..{_indexTerms.Length - 1})");
        return _indexTerms[vocabularyId];
    }
}
