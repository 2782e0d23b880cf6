using Disco.Index;

namespace Disco.Retrieval;

/// <summary>An index with what searching it needs, swapped as one reference when the index is replaced.</summary>
internal sealed class IndexContext
{
    public IndexContext(SparseIndex index, IReadOnlyList<string>? vocabulary)
    {
        Index = index;
        Searcher = new IndexSearcher(index);
        Map = vocabulary is null ? null : new VocabularyMap(index, vocabulary);
    }

    public SparseIndex Index { get; }

    public IndexSearcher Searcher { get; }

    /// <summary>Encoder term id → index term id; null without an encoder.</summary>
    public VocabularyMap? Map { get; }
}
