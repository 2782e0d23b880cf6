using System.Text;
using Disco.Core.Conversations;

namespace Disco.Server.Tests;

/// <summary>The HTTP request parser on its own: flattening names (docs/server.md) without a running server.</summary>
public sealed class RequestReaderTests
{
    private static readonly DiscoSearchOptions Limits = new();

    [Theory]
    [InlineData("full", "full")]
    [InlineData("last_question", "last_question")]
    [InlineData("questions_only", "questions_only")]
    [InlineData("last", "last_question")]
    [InlineData("questions", "questions_only")]
    [InlineData("Last-Question", "last_question")]
    public void Flatten_accepts_the_canonical_names_and_the_aliases_and_hands_on_the_canonical_name(string given, string canonical)
    {
        var search = RequestReader.ReadSearch(Body($$"""{"conversation": [{"question": "what is a bee"}], "flatten": "{{given}}"}"""), Limits);
        var encode = RequestReader.ReadEncode(Body($$"""{"conversation": [{"question": "what is a bee"}], "flatten": "{{given}}"}"""), Limits);
        Assert.Equal(canonical, search.Flatten);
        Assert.Equal(canonical, encode.Flatten);
        Assert.Equal(canonical, FlatteningModeNames.Name(FlatteningModeNames.Parse(search.Flatten)!.Value));
    }

    [Fact]
    public void No_flatten_leaves_the_server_default_and_an_unknown_one_names_the_choices()
    {
        Assert.Null(RequestReader.ReadSearch(Body("""{"text": "paris"}"""), Limits).Flatten);
        var e = Assert.Throws<RequestException>(() => RequestReader.ReadSearch(Body("""{"text": "paris", "flatten": "everything"}"""), Limits));
        Assert.Contains("must be one of full, last_question, questions_only (or last, questions)", e.Message, StringComparison.Ordinal);
    }

    private static byte[] Body(string json) => Encoding.UTF8.GetBytes(json);
}
