using Disco.Core.Queries;
using Disco.Core.Vectors;

namespace Disco.Retrieval;

/// <summary>
/// A query after the encode step: the text the encoder read (a conversation flattened) and the
/// vector over the encoder's vocabulary, or the term vector it came with. Independent of any
/// index, so it can be searched against whichever index the retriever holds.
/// </summary>
public sealed class EncodedQuery
{
    private readonly IReadOnlyList<string>? _vocabulary;
    private IReadOnlyList<QueryTerm>? _terms;

    internal EncodedQuery(Query source, string? text, SparseVector? vector, IReadOnlyList<string>? vocabulary, double encodeMilliseconds)
    {
        Source = source;
        Text = text;
        Vector = vector;
        _vocabulary = vocabulary;
        EncodeMilliseconds = encodeMilliseconds;
    }

    public string Id => Source.Id;

    /// <summary>The query as given.</summary>
    public Query Source { get; }

    /// <summary>The text the encoder read (a conversation, flattened); null for vector queries.</summary>
    public string? Text { get; }

    /// <summary>Weights over the encoder's term ids; null for a query given as vocabulary strings.</summary>
    public SparseVector? Vector { get; }

    /// <summary>Encoding time of this query (its batch's time divided by the batch size); 0 when not encoded here.</summary>
    public double EncodeMilliseconds { get; }

    /// <summary>Non-zero terms (SPLADE's <c>L0_q</c> counts these).</summary>
    public int TermCount => Vector?.Count ?? Source.Terms?.Terms.Length ?? 0;

    /// <summary>The terms with their vocabulary strings, largest weight first (ties by string).</summary>
    public IReadOnlyList<QueryTerm> Terms => _terms ??= BuildTerms();

    private List<QueryTerm> BuildTerms()
    {
        IEnumerable<QueryTerm> terms = Vector is { } v && _vocabulary is { } vocabulary
            ? v.Indices.Select((id, i) => new QueryTerm(vocabulary[id], v.Values[i]))
            : Source.Terms is { } t ? t.Terms.Select((term, i) => new QueryTerm(term, t.Weights[i])) : [];
        return [.. terms.OrderByDescending(t => t.Weight).ThenBy(t => t.Token, StringComparer.Ordinal)];
    }
}
