namespace Disco.Index;

/// <summary>
/// The operating point of approximate search (docs/index-format.md, "Approximate search"; the
/// trade-offs are measured in docs/benchmarks.md). Candidates are the documents with the highest
/// partial scores over the head lists of the query's heaviest terms; they are then scored exactly,
/// so an approximate search may miss documents of the exact top k but never misreports a score.
/// </summary>
/// <param name="Budget">
/// How many candidates are scored exactly per query (more: higher recall, slower; the cost is
/// about linear). <see cref="Everything"/> makes the search exact. Null: the index's default.
/// </param>
/// <param name="Terms">
/// How many of the query's terms, the heaviest, give candidates, each read down to a fraction of
/// the query's floor contribution (docs/index-format.md; more: higher recall, slower). Null: the
/// index's default.
/// </param>
/// <param name="Blocks">
/// Block-max approximate search (the index's block-max section): how many blocks of documents, those
/// of highest score bound, are scored (more: higher recall, slower; about linear).
/// <see cref="Everything"/> makes the search exact. Null: the approximate-search section's
/// candidates when the index has that section, else the block-max section's default.
/// </param>
public sealed record ApproximateSearch(int? Budget = null, int? Terms = null, int? Blocks = null)
{
    /// <summary>A budget that scores every document that matches the query: exact search.</summary>
    public const int Everything = int.MaxValue;

    /// <summary>The default budget written into new indexes (recall@10 ≥ 0.97 on the clustered benchmark collection, docs/benchmarks.md).</summary>
    public const int DefaultBudget = 200;

    /// <summary>
    /// The recall@10 against exact search that the default operating point is meant to reach on
    /// topically clustered collections (docs/benchmarks.md); a target, not a guarantee: an i.i.d.
    /// collection, where no document shares much with a query, gets less.
    /// </summary>
    public const double DocumentedRecall = 0.97;

    /// <summary>The default number of query terms written into new indexes.</summary>
    public const int DefaultTerms = 30;

    /// <summary>
    /// The default block budget written into new block-max sections: recall@10 0.977 on the
    /// clustered 1M benchmark collection, reordered, blocks of 64 (docs/benchmarks.md).
    /// </summary>
    public const int DefaultBlocks = 128;

    public int? Budget { get; init; } = Budget is < 1
        ? throw new ArgumentOutOfRangeException(nameof(Budget), Budget, "the budget must be at least 1 document")
        : Budget;

    public int? Blocks { get; init; } = Blocks is < 1
        ? throw new ArgumentOutOfRangeException(nameof(Blocks), Blocks, "score at least one block")
        : Blocks;

    public int? Terms { get; init; } = Terms is < 1
        ? throw new ArgumentOutOfRangeException(nameof(Terms), Terms, "use at least one query term")
        : Terms;

    /// <summary>Exact search through the approximate-search entry point.</summary>
    public static ApproximateSearch Exact { get; } = new(Everything);

    /// <summary>This operating point with the index's defaults filled in.</summary>
    internal (int Budget, int Terms) Resolve(AnnMetadata ann) => (Budget ?? ann.DefaultBudget, Terms ?? ann.DefaultTerms);
}
