using Disco.Core.Runs;

namespace Disco.Retrieval;

/// <summary>The answers to a batch of queries, in input order, with the time spent in each step.</summary>
public sealed class BatchSearchResult
{
    internal BatchSearchResult(IReadOnlyList<SearchResult> results, TimeSpan encodeTime, TimeSpan searchTime, bool measuredLatencies)
    {
        Results = results;
        Latencies = measuredLatencies ? LatencySummary.Of([.. results.Select(r => r.Latency!)]) : null;
        EncodeTime = encodeTime;
        SearchTime = searchTime;
    }

    public IReadOnlyList<SearchResult> Results { get; }

    /// <summary>Wall time of the encode step (zero when nothing needed encoding).</summary>
    public TimeSpan EncodeTime { get; }

    /// <summary>Wall time of the search step.</summary>
    public TimeSpan SearchTime { get; }

    /// <summary>Mean non-zero query terms (SPLADE's <c>L0_q</c>).</summary>
    public double MeanQueryTerms => Results.Count == 0 ? 0 : Results.Average(r => r.Query.TermCount);

    /// <summary>The run, queries in input order, for writing or for the evaluator.</summary>
    public Run ToRun() => new(Results.Select(r => r.ToRanking()));

    /// <summary>Per-query latency statistics; null unless the batch measured latencies.</summary>
    public LatencySummary? Latencies { get; }
}
