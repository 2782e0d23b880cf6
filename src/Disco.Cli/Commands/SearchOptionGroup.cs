using System.CommandLine;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>The options that say how a query is searched (--algorithm, --approximate, --query-max-terms, --query-min-weight), shared by search and serve.</summary>
internal sealed class SearchOptionGroup
{
    private readonly Option<string> _algorithm = new("--algorithm") { Description = "auto (blockmax when the index has the block-max section, its blocks hold similar documents (see index stats) and k <= 32, else taat), taat (exhaustive term-at-a-time over cache-sized ranges), maxscore (range MaxScore), daat (document-at-a-time block-max MaxScore) or blockmax (block-max pruning over blocks of documents; needs the index's block-max section, fastest on reordered indexes at small k); all exact, identical results", DefaultValueFactory = _ => SearchAlgorithmNames.Name(SearchOptions.DefaultAlgorithm) };
    private readonly Option<int?> _maxTerms = new("--query-max-terms") { Description = "Keep the N largest query weights" };
    private readonly Option<float> _minWeight = new("--query-min-weight") { Description = "Drop query weights below this" };
    private readonly Option<bool> _approximate = new("--approximate") { Description = "Approximate search with the index's approximate-search section (disco index --ann, disco index ann) or, with --ann-blocks or on an index with only that section, its block-max section (disco index --block-max): much faster, may miss some of the exact top k; scores stay exact" };
    private readonly Option<int?> _annBudget = new("--ann-budget") { Description = "With --approximate: documents scored exactly per query (more: higher recall, slower; default from the index)" };
    private readonly Option<int?> _annTerms = new("--ann-terms") { Description = "With --approximate: the heaviest query terms that propose candidates (more: higher recall, slower; default from the index)" };
    private readonly Option<int?> _annBlocks = new("--ann-blocks") { Description = "With --approximate: block-max approximate search, scoring the N blocks of documents of highest score bound (more: higher recall, slower; default from the index's block-max section)" };

    public SearchOptionGroup() => _algorithm.AcceptOnlyFromAmong([.. SearchAlgorithmNames.Names]);

    public void AddTo(Command command)
    {
        command.Options.Add(_algorithm);
        command.Options.Add(_maxTerms);
        command.Options.Add(_minWeight);
        command.Options.Add(_approximate);
        command.Options.Add(_annBudget);
        command.Options.Add(_annTerms);
        command.Options.Add(_annBlocks);
    }

    /// <summary>The search options; values out of range are usage errors, found before any index or model loads.</summary>
    public SearchOptions Create(ParseResult parse, int topK)
    {
        var minWeight = parse.GetValue(_minWeight);
        if (!(minWeight >= 0 && float.IsFinite(minWeight)))
            throw new UsageException($"--query-min-weight must be a non-negative number, got {minWeight}");
        if (parse.GetValue(_maxTerms) is < 1 and var maxTerms)
            throw new UsageException($"--query-max-terms must be at least 1, got {maxTerms}");
        var budget = parse.GetValue(_annBudget);
        var terms = parse.GetValue(_annTerms);
        var blocks = parse.GetValue(_annBlocks);
        if (!parse.GetValue(_approximate) && (budget is not null || terms is not null || blocks is not null))
            throw new UsageException("--ann-budget, --ann-terms and --ann-blocks need --approximate");
        if (budget is < 1 || terms is < 1 || blocks is < 1)
            throw new UsageException("--ann-budget, --ann-terms and --ann-blocks must be at least 1");
        if (blocks is not null && (budget is not null || terms is not null))
            throw new UsageException("--ann-blocks (block-max approximate search) does not combine with --ann-budget or --ann-terms");
        return new(topK, IndexFormatNames.ParseAlgorithm(parse.GetValue(_algorithm)!), new QueryOptions(parse.GetValue(_maxTerms), minWeight),
            Approximate: parse.GetValue(_approximate) ? new ApproximateSearch(budget, terms, blocks) : null);
    }
}
