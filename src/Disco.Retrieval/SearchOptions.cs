using Disco.Core;
using Disco.Index;

namespace Disco.Retrieval;

/// <summary>
/// How one query is searched. A new search mode is one more <see cref="SearchAlgorithm"/> value
/// (or one more member here), not a new method.
/// </summary>
/// <param name="TopK">Documents returned per query.</param>
/// <param name="Algorithm">Exact algorithm; all return identical rankings (default <see cref="DefaultAlgorithm"/>).</param>
/// <param name="Pruning">Query pruning before search (largest weights, minimum weight); null keeps every term.</param>
/// <param name="Threshold">Documents scoring at or below this are dropped (SPLADE's <c>config.threshold</c>).</param>
/// <param name="Explain">Also return each hit's matched terms with their contributions.</param>
/// <param name="Approximate">
/// Approximate search at this operating point (the index needs its approximate-search section);
/// null: exact search with <paramref name="Algorithm"/>. Scores stay exact dot products.
/// </param>
public sealed record SearchOptions(
    int TopK = SearchOptions.DefaultTopK,
    SearchAlgorithm Algorithm = SearchOptions.DefaultAlgorithm,
    QueryOptions? Pruning = null,
    float Threshold = 0,
    bool Explain = false,
    ApproximateSearch? Approximate = null)
{
    /// <summary>SPLADE's and DiSCo's run depth.</summary>
    public const int DefaultTopK = 1000;

    /// <summary>The exact algorithm when none is chosen (the CLI's and the server's <c>--algorithm</c> default).</summary>
    public const SearchAlgorithm DefaultAlgorithm = IndexSearcher.DefaultAlgorithm;

    /// <summary>Throws when a value cannot work; messages name the property.</summary>
    public void Validate()
    {
        if (TopK < 1)
            throw new DiscoException($"{nameof(TopK)} must be at least 1, got {TopK}");
        if (float.IsNaN(Threshold))
            throw new DiscoException($"{nameof(Threshold)} must be a number");
        if (Pruning is { MaxTerms: < 1 })
            throw new DiscoException($"{nameof(Pruning)}.{nameof(QueryOptions.MaxTerms)} must be at least 1, got {Pruning.MaxTerms}");
        if (Pruning is { } pruning && !(pruning.MinWeight >= 0 && float.IsFinite(pruning.MinWeight)))
            throw new DiscoException($"{nameof(Pruning)}.{nameof(QueryOptions.MinWeight)} must be a non-negative number, got {pruning.MinWeight}");
    }
}
