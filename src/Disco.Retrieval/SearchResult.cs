using Disco.Core.Runs;
using Disco.Index;

namespace Disco.Retrieval;

/// <summary>One query's answer: the encoded query, the query as searched, the ranked documents and (when measured) latencies.</summary>
public sealed class SearchResult
{
    internal SearchResult(EncodedQuery query, SearchQuery searched, IReadOnlyList<RetrievedDocument> documents, QueryLatency? latency, IndexContext context)
    {
        Query = query;
        Searched = searched;
        Documents = documents;
        Latency = latency;
        Context = context;
    }

    public string QueryId => Query.Id;

    public EncodedQuery Query { get; }

    /// <summary>The query as the index saw it: index term ids and weights after pruning.</summary>
    public SearchQuery Searched { get; }

    /// <summary>Score descending, ties by internal document number.</summary>
    public IReadOnlyList<RetrievedDocument> Documents { get; }

    public QueryLatency? Latency { get; }

    /// <summary>The index the documents came from (a retriever may have moved to another since).</summary>
    internal IndexContext Context { get; }

    public Ranking ToRanking() => new(QueryId, [.. Documents.Select(d => new ScoredDocument(d.DocumentId, d.Score))]);
}
