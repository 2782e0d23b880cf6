using Disco.Cli.Commands;
using Disco.Core.Conversations;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Cli.Tests;

/// <summary>The CLI reads its names and defaults from the library's tables (issue 10: each default lives in one place).</summary>
public sealed class OptionNameTests
{
    [Theory]
    [InlineData("full", FlatteningMode.Full)]
    [InlineData("last_question", FlatteningMode.LastQuestion)]
    [InlineData("questions_only", FlatteningMode.QuestionsOnly)]
    [InlineData("last", FlatteningMode.LastQuestion)]
    [InlineData("questions", FlatteningMode.QuestionsOnly)]
    [InlineData("lastquestion", FlatteningMode.LastQuestion)]
    [InlineData("Questions-Only", FlatteningMode.QuestionsOnly)]
    public void Flatten_takes_the_canonical_names_and_the_http_spellings_on_every_surface(string value, FlatteningMode mode)
    {
        string[] search = ["--index", "i", "--queries", "q", "--out", "o"];
        Assert.Equal(mode, ConfigurationTests.Resolve(SearchCommand.Create(), ["--flatten", value, .. search]).GetValue<FlatteningMode>("--flatten"));
        Assert.Equal(mode, ConfigurationTests.Resolve(SearchCommand.Create(), ["--history", value, .. search]).GetValue<FlatteningMode>("--history"));
        Assert.Equal(mode, ConfigurationTests.Resolve(SearchCommand.Create(), ["--set", $"flatten={value}", .. search]).GetValue<FlatteningMode>("--flatten"));
        Assert.Equal(mode, ConfigurationTests.Resolve(ServeCommand.Create(), "--index", "i", "--flatten", value).GetValue<FlatteningMode>("--flatten"));
    }

    [Fact]
    public void An_unknown_flattening_lists_the_canonical_names_and_the_aliases()
    {
        var parse = new System.CommandLine.RootCommand { SearchCommand.Create() }.Parse(["search", "--flatten", "sideways", "--index", "i", "--queries", "q", "--out", "o"]);
        Assert.Contains(parse.Errors, e => e.Message == "'sideways' is not a flattening: full, last_question or questions_only (also last, questions)");
    }

    [Fact]
    public void The_algorithm_default_is_the_library_default()
    {
        var search = ConfigurationTests.Resolve(SearchCommand.Create(), "--index", "i", "--queries", "q", "--out", "o");
        var serve = ConfigurationTests.Resolve(ServeCommand.Create(), "--index", "i");
        Assert.Equal(SearchAlgorithmNames.Name(SearchOptions.DefaultAlgorithm), search.GetValue<string>("--algorithm"));
        Assert.Equal(SearchAlgorithmNames.Name(SearchOptions.DefaultAlgorithm), serve.GetValue<string>("--algorithm"));
        Assert.Equal(SearchOptions.DefaultAlgorithm, new SearchOptions().Algorithm);
        foreach (var algorithm in Enum.GetValues<SearchAlgorithm>())
        {
            var name = SearchAlgorithmNames.Name(algorithm);
            Assert.Equal(name, ConfigurationTests.Resolve(SearchCommand.Create(), "--algorithm", name, "--index", "i", "--queries", "q", "--out", "o").GetValue<string>("--algorithm"));
            Assert.Equal(algorithm, SearchAlgorithmNames.Parse(name));
        }
        Assert.NotEmpty(new System.CommandLine.RootCommand { SearchCommand.Create() }.Parse(["search", "--algorithm", "wand", "--index", "i", "--queries", "q", "--out", "o"]).Errors);
    }
}
