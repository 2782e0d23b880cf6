using System.CommandLine;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>The options that say how a query is searched (--algorithm, --query-max-terms, --query-min-weight), shared by search and serve.</summary>
internal sealed class SearchOptionGroup
{
    private readonly Option<string> _algorithm = new("--algorithm") { Description = "taat (exhaustive term-at-a-time over cache-sized ranges), maxscore (range MaxScore) or daat (document-at-a-time block-max MaxScore); all exact, identical results", DefaultValueFactory = _ => "taat" };
    private readonly Option<int?> _maxTerms = new("--query-max-terms") { Description = "Keep the N largest query weights" };
    private readonly Option<float> _minWeight = new("--query-min-weight") { Description = "Drop query weights below this" };

    public SearchOptionGroup() => _algorithm.AcceptOnlyFromAmong("taat", "maxscore", "daat");

    public void AddTo(Command command)
    {
        command.Options.Add(_algorithm);
        command.Options.Add(_maxTerms);
        command.Options.Add(_minWeight);
    }

    public SearchOptions Create(ParseResult parse, int topK) =>
        new(topK, IndexFormatNames.ParseAlgorithm(parse.GetValue(_algorithm)!), new QueryOptions(parse.GetValue(_maxTerms), parse.GetValue(_minWeight)));
}
