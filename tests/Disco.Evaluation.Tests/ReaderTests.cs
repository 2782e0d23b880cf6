using Disco.Core;
using Disco.TestSupport;

namespace Disco.Evaluation.Tests;

public sealed class ReaderTests
{
    [Fact]
    public void TrecAndJsonRunsReadTheSame()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("run.txt"), "# comment\nq1 Q0 d1 1 2.5 tag\r\n\nq2 Q0 d9 1 -1e-3 tag\nq1 Q0 d2 2 1 tag");
        File.WriteAllText(dir.File("run.json"), "\n {\"q1\": {\"d2\": 1, \"d1\": 2.5}, \"q2\": {\"d9\": -0.001}}");

        var trec = RunFile.Read(dir.File("run.txt"));
        var json = RunFile.Read(dir.File("run.json"));

        foreach (var run in new[] { trec, json })
        {
            Assert.Equal(["q1", "q2"], run.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(2.5, run["q1"]["d1"]);
            Assert.Equal(1.0, run["q1"]["d2"]);
            Assert.Equal(-0.001, run["q2"]["d9"]);
        }
    }

    [Theory]
    [InlineData("q1 Q0 d1 1 2.5 tag\nq1 Q0 d2 2 tag\n", 2, "expected 6 fields")]
    [InlineData("q1 Q0 d1 1 2.5 tag\n\nq1 Q0 d2 2 abc tag\n", 3, "score 'abc' is not a number")]
    [InlineData("q1 Q0 d1 1 2.5 tag\nq2 Q0 d1 1 2 tag\nq1 Q0 d1 3 1 tag\n", 3, "duplicate document 'd1'")]
    public void MalformedTrecRunNamesFileAndLine(string content, int line, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.run");
        File.WriteAllText(path, content);

        var e = Assert.Throws<DataFormatException>(() => RunFile.Read(path));

        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"{path}:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"q1\": {\"d1\": 1.0,\n \"d2\": \"x\"}}", 2, "is not a number")]
    [InlineData("{\"q1\": {\"d1\": 1.0},\n\n \"q2\": [1]}", 3, "expected an object")]
    [InlineData("{\"q1\": {\"d1\": 1.0,\n\"d1\": 2}}", 2, "duplicate document 'd1'")]
    public void MalformedJsonRunNamesFileAndLine(string content, int line, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, content);

        var e = Assert.Throws<DataFormatException>(() => RunFile.Read(path));

        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QrelsReadInBothFormatsAndRoundTripThroughTheWriters()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("qrels.txt"), "q2 0 d1 -1\nq1 0 d3 2\n# note\nq1 0 d1 0\n");
        var trec = QrelsFile.Read(dir.File("qrels.txt"));
        Assert.Equal(2, trec["q1"]["d3"]);
        Assert.Equal(0, trec["q1"]["d1"]);
        Assert.Equal(-1, trec["q2"]["d1"]);

        QrelsFile.WriteTrec(dir.File("out.txt"), trec);
        QrelsFile.WriteJson(dir.File("out.json"), trec);

        Assert.Equal("q1 0 d1 0\nq1 0 d3 2\nq2 0 d1 -1\n", File.ReadAllText(dir.File("out.txt")));
        foreach (var copy in new[] { QrelsFile.Read(dir.File("out.txt")), QrelsFile.Read(dir.File("out.json")) })
        {
            Assert.Equal(trec.Keys.Order(), copy.Keys.Order());
            foreach (var (qid, docs) in trec)
                Assert.Equal(docs.OrderBy(p => p.Key), copy[qid].OrderBy(p => p.Key));
        }
    }

    [Theory]
    [InlineData("q1 0 d1 1\nq1 0 d1 2\n", 2, "judged twice")]
    [InlineData("q1 0 d1 1\nq1 0 d2 1.5\n", 2, "relevance '1.5' is not an integer")]
    [InlineData("q1 0 d1\n", 1, "expected 4 fields")]
    public void MalformedQrelsNameFileAndLine(string content, int line, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("qrels");
        File.WriteAllText(path, content);

        var e = Assert.Throws<DataFormatException>(() => QrelsFile.Read(path));

        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongFilesAcrossBufferBoundariesReadCompletely()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.run");
        using (var w = new StreamWriter(path))
        {
            for (var q = 0; q < 300; q++)
            {
                for (var d = 0; d < 1000; d++)
                    w.Write($"query-{q} Q0 document-{d:D7} {d + 1} {1000 - d}.25 some-run-tag\n");
            }
        }

        var run = RunFile.Read(path);

        Assert.Equal(300, run.Count);
        Assert.All(run.Values, docs => Assert.Equal(1000, docs.Count));
        Assert.Equal(1000.25, run["query-299"]["document-0000000"]);
        Assert.Equal(1.25, run["query-7"]["document-0000999"]);
    }
}
