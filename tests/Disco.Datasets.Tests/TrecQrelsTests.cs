using System.Text.Json;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

public sealed class TrecQrelsTests
{
    [Theory]
    [InlineData("cast2019")]
    [InlineData("cast2020")]
    [InlineData("cast2022")]
    public void RealQrelsRoundTripThroughTrecAndJson(string year)
    {
        var source = Fixtures.Data(year, "qrels.txt");
        var qrels = TrecQrels.Read(source);
        Assert.Equal(File.ReadLines(source).Count(l => l.Length > 0), qrels.Count);
        using var dir = new TempDirectory();
        TrecQrels.WriteTrec(dir.File("q.trec"), qrels);
        Assert.Equal(qrels, TrecQrels.Read(dir.File("q.trec")));
        TrecQrels.WriteJson(dir.File("q.json"), qrels);
        var json = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(File.ReadAllText(dir.File("q.json")))!;
        var expected = qrels.GroupBy(q => q.QueryId).ToDictionary(g => g.Key, g => g.GroupBy(q => q.DocId).ToDictionary(d => d.Key, d => d.Last().Relevance));
        Assert.Equal(expected, json);
    }

    [Fact]
    public void MalformedLineNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("q.txt"), "1 0 d1 1\n1 0 d2 high\n");
        var e = Assert.Throws<DataFormatException>(() => TrecQrels.Read(dir.File("q.txt")));
        Assert.Equal($"{dir.File("q.txt")}:2: relevance 'high' is not an integer", e.Message);
    }
}
