using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Core.Runs;
using Disco.Core.Texts;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

public sealed class DatasetWriterTests
{
    [Fact]
    public void TopiOcqaQueriesEqualDiscosReversedHistory()
    {
        var topics = Sample.Path("topiocqa_dev_sample.json");
        var dataset = TopiOcqaConverter.Read(topics);
        using var dir = new TempDirectory();
        DatasetWriter.Write(dataset, dir.Path, new DatasetWriteOptions());
        // parse_topiocqa.py: split the AllHistory string on "[SEP]", reverse, join with " [SEP] " (parts stripped).
        using var raw = JsonDocument.Parse(File.ReadAllText(topics));
        var expected = raw.RootElement.EnumerateArray()
            .Select((e, row) => $"{row}\t{string.Join(" [SEP] ", e.GetProperty("question").GetString()!.Split("[SEP]").Select(p => p.Trim()).Reverse())}");
        Assert.Equal(expected, File.ReadAllLines(dir.File(DatasetWriter.QueriesFile)));
        Assert.Equal("{\"0\":{\"70001\":1},\"1\":{\"70001\":1},\"2\":{\"70002\":1},\"3\":{\"80001\":1}}", File.ReadAllText(dir.File(DatasetWriter.QrelsJsonFile)));
        Assert.Equal(dataset.Turns.Select(t => t.Conversation), ConversationFile.Read(dir.File(DatasetWriter.ConversationsFile)), new ConversationComparer());
        Assert.Equal(["row\tid\tsource_id", "0\t0\t1_1", "1\t1\t1_2", "2\t2\t1_3", "3\t3\t2_1"], File.ReadAllLines(dir.File(DatasetWriter.IdsFile)));
    }

    [Fact]
    public void CollectionLinesHoldNoTabsOrBreaksAndExtraQrelsAreCountedAgainstTurns()
    {
        var dataset = QreccConverter.Read(Sample.Path("qrecc_test_sample.json"));
        using var dir = new TempDirectory();
        var summary = DatasetWriter.Write(dataset, dir.Path, new DatasetWriteOptions(
            Qrels: Qrels.FromEntries([new QrelEntry("7_3", "p1", 2), new QrelEntry("9_1", "p2", 1)]),
            Collection: [new TextRecord("p1", "line one\nline\ttwo"), new TextRecord("p2", "plain")]));
        Assert.Equal(["p1\tline one line two", "p2\tplain"], File.ReadAllLines(dir.File(DatasetWriter.CollectionFile)));
        Assert.Equal(new DatasetWriteSummary(3, 2, 2, 1, 2), summary);
        Assert.Equal(["7_3 0 p1 2", "9_1 0 p2 1"], File.ReadAllLines(dir.File(DatasetWriter.QrelsTrecFile)));
    }

    private sealed class ConversationComparer : IEqualityComparer<Conversation>
    {
        public bool Equals(Conversation? x, Conversation? y)
            => x is not null && y is not null && x.Id == y.Id && x.Turns.SequenceEqual(y.Turns) && x.Rewrite == y.Rewrite
               && (x.Context ?? []).SequenceEqual(y.Context ?? []);

        public int GetHashCode(Conversation obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
