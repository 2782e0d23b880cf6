using System.Text.Json;
using Disco.Core.Conversations;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

public sealed class IkatConverterTests
{
    [Theory]
    [InlineData("2023_test_topics.json", 332)]
    [InlineData("2023_train_topics.json", 95)]
    public void EveryTurnBecomesOneConversation(string file, int turns)
    {
        var dataset = IkatConverter.Read(Fixtures.Data("ikat2023", file));
        Assert.Equal(turns, dataset.Turns.Count);
        Assert.Equal(turns, dataset.Turns.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void PtkbResponsesAndResolvedUtterancesAreKept()
    {
        var path = Fixtures.Data("ikat2023", "2023_test_topics.json");
        using var raw = JsonDocument.Parse(File.ReadAllText(path));
        var topic = raw.RootElement[0];
        var turns = topic.GetProperty("turns");
        var dataset = IkatConverter.Read(path);
        var second = dataset.Turns.Single(t => t.Id == "9-1_2").Conversation;
        Assert.Equal(
            [new Turn(turns[0].GetProperty("utterance").GetString()!, turns[0].GetProperty("response").GetString()), new Turn(turns[1].GetProperty("utterance").GetString()!)],
            second.Turns);
        Assert.Equal(turns[1].GetProperty("resolved_utterance").GetString(), second.Rewrite);
        var ptkb = topic.GetProperty("ptkb");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => ptkb.GetProperty(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetString()), second.Context);
    }

    [Fact]
    public void ProvenancePassagesGetTheQrelsIdForm()
    {
        var first = PassageFile.Read(Fixtures.Data("ikat2023", "2023_test_topics_psg_text.jsonl")).First();
        Assert.Equal("clueweb22-en0000-32-08101:4", first.Id);
        Assert.StartsWith("\nEmail is undoubtedly", first.Text, StringComparison.Ordinal);
    }
}
