using Disco.Core;

namespace Disco.Evaluation;

/// <summary>Per-query and summary values of one run, in trec_eval's order.</summary>
public sealed class EvaluationResult
{
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, QueryEvaluation> _byQuery;

    internal EvaluationResult(MeasureSet measures, IReadOnlyList<QueryEvaluation> queries, IReadOnlyList<double> summary, int ignoredRunQueries)
    {
        Measures = measures;
        Queries = queries;
        Summary = summary;
        IgnoredRunQueries = ignoredRunQueries;
        _index = measures.ValueNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        _byQuery = queries.ToDictionary(q => q.QueryId, StringComparer.Ordinal);
        IsCount = [.. measures.Measures.SelectMany(m => m.ValueNames.Select(_ => m.IsCount))];
    }

    /// <summary>The measures evaluated.</summary>
    public MeasureSet Measures { get; }

    /// <summary>Printed value names (<c>map</c>, <c>P_10</c>, ...), in order.</summary>
    public IReadOnlyList<string> ValueNames => Measures.ValueNames;

    /// <summary>Per value name: true for num_q, num_ret, num_rel, num_rel_ret (printed as integers).</summary>
    public IReadOnlyList<bool> IsCount { get; }

    /// <summary>Evaluated queries in trec_eval's order (ordinal by id).</summary>
    public IReadOnlyList<QueryEvaluation> Queries { get; }

    /// <summary>The "all" line: means, or sums for num_ret, num_rel, num_rel_ret, and the count for num_q.</summary>
    public IReadOnlyList<double> Summary { get; }

    /// <summary>Queries in the run that have no judgements and were therefore skipped (as trec_eval does).</summary>
    public int IgnoredRunQueries { get; }

    /// <summary>The summary value of a printed name such as <c>ndcg_cut_10</c>.</summary>
    public double this[string valueName] => Summary[IndexOf(valueName)];

    /// <summary>The value of one query.</summary>
    public double Value(string queryId, string valueName) =>
        _byQuery.TryGetValue(queryId, out var q) ? q.Values[IndexOf(valueName)] : throw new DiscoException($"query '{queryId}' was not evaluated");

    /// <summary>The position of a value name, or an error listing the names available.</summary>
    public int IndexOf(string valueName) =>
        _index.TryGetValue(valueName, out var i) ? i : throw new DiscoException($"measure '{valueName}' was not evaluated (have {string.Join(", ", ValueNames)})");
}
