using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

public sealed class TopiOcqaConverterTests
{
    [Fact]
    public void RowNumbersAreQueryIdsAndConvTurnIsKept()
    {
        var dataset = TopiOcqaConverter.Read(Sample.Path("topiocqa_dev_sample.json"));
        Assert.Equal(["0", "1", "2", "3"], dataset.Turns.Select(t => t.Id));
        Assert.Equal(["1_1", "1_2", "1_3", "2_1"], dataset.Turns.Select(t => t.SourceId));
    }

    [Fact]
    public void HistoryAlternatesQuestionsAndAnswersEndingWithTheOpenQuestion()
    {
        var third = TopiOcqaConverter.Read(Sample.Path("topiocqa_dev_sample.json")).Turns[2].Conversation;
        Assert.Equal(
            [
                new Turn("when did the first lighthouse on the island get built", "1858"),
                new Turn("what happened to it", "storms carried it away twice"),
                new Turn("who kept the light"),
            ],
            third.Turns);
    }

    [Fact]
    public void QrelsAreTheFirstPositivePassageOnly()
    {
        var dataset = TopiOcqaConverter.Read(Sample.Path("topiocqa_dev_sample.json"));
        Assert.Equal(
            [new QrelEntry("0", "70001", 1), new QrelEntry("1", "70001", 1), new QrelEntry("2", "70002", 1), new QrelEntry("3", "80001", 1)],
            dataset.Qrels);
    }

    [Fact]
    public void CollectionSkipsHeaderAndPrefixesTitle()
    {
        var passages = TopiOcqaConverter.ReadCollection(Sample.Path("full_wiki_segments_sample.tsv")).ToList();
        Assert.Equal(3, passages.Count);
        Assert.Equal("70002", passages[1].Id);
        Assert.Equal("Gull Rock Light [SEP] Keepers. Keepers rowed out every second week with oil and bread.", passages[1].Text);
    }

    [Fact]
    public void HistoryWithAnAnswerLastIsRejectedNamingTheRow()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, """[{"conv_id": 1, "turn_id": 1, "question": "q1 [SEP] a1"}]""");
        var e = Assert.Throws<DataFormatException>(() => TopiOcqaConverter.Read(path));
        Assert.Contains("row 1", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }
}
