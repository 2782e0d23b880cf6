using System.CommandLine;
using Disco.Retrieval;

namespace Disco.Cli.Options;

/// <summary><c>--top-k</c>/<c>-k</c>: documents per query, everywhere (search's old <c>--k</c> stays hidden).</summary>
internal static class TopKOption
{
    public static AliasedOption<int> Create(string description = "Documents per query", params string[] hiddenAliases) =>
        new(new Option<int>("--top-k", "-k") { Description = description, DefaultValueFactory = _ => SearchOptions.DefaultTopK }, hiddenAliases);

    public static int Get(ParseResult parse, AliasedOption<int> option)
    {
        var k = option.Get(parse);
        return k >= 1 ? k : throw new UsageException("--top-k must be at least 1");
    }
}
