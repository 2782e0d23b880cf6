using System.Globalization;
using System.Text.Json;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Core.Tests;

public sealed class RunAndQrelsReaderTests
{
    [Fact]
    public void TrecAndJsonRunsReadTheSame()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("run.txt"), "# comment\nq1 Q0 d1 1 2.5 tag\r\n\nq2 Q0 d9 1 -1e-3 tag\nq1 Q0 d2 2 1 tag");
        File.WriteAllText(dir.File("run.json"), "\n {\"q1\": {\"d2\": 1, \"d1\": 2.5}, \"q2\": {\"d9\": -0.001}}");

        var trec = Run.Read(dir.File("run.txt"));
        var json = Run.Read(dir.File("run.json"));

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

        var e = Assert.Throws<DataFormatException>(() => Run.Read(path));

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

        var e = Assert.Throws<DataFormatException>(() => Run.Read(path));

        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QrelsReadInBothFormatsAndRoundTripThroughTheWriters()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("qrels.txt"), "q2 0 d1 -1\nq1 0 d3 2\n# note\nq1 0 d1 0\n");
        var trec = Qrels.Read(dir.File("qrels.txt"));
        Assert.Equal(2, trec["q1"]["d3"]);
        Assert.Equal(0, trec["q1"]["d1"]);
        Assert.Equal(-1, trec["q2"]["d1"]);

        trec.Write(dir.File("out.txt"));
        trec.Write(dir.File("out.json"));

        // Writers keep the judgments' order, so converted qrels pass through unchanged.
        Assert.Equal("q2 0 d1 -1\nq1 0 d3 2\nq1 0 d1 0\n", File.ReadAllText(dir.File("out.txt")));
        Assert.Equal("{\"q2\":{\"d1\":-1},\"q1\":{\"d3\":2,\"d1\":0}}", File.ReadAllText(dir.File("out.json")));
        foreach (var copy in new[] { Qrels.Read(dir.File("out.txt")), Qrels.Read(dir.File("out.json")) })
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

        var e = Assert.Throws<DataFormatException>(() => Qrels.Read(path));

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

        var run = Run.Read(path);

        Assert.Equal(300, run.Count);
        Assert.All(run.Values, docs => Assert.Equal(1000, docs.Count));
        Assert.Equal(1000.25, run["query-299"]["document-0000000"]);
        Assert.Equal(1.25, run["query-7"]["document-0000999"]);
    }

    private sealed class ByteCounter : IProgress<long>
    {
        public long Total { get; private set; }

        public void Report(long value) => Total += value;
    }

    [Theory]
    [InlineData("q1 Q0 d1 1 2.5 tag\nq1 Q0 d2 2 1 tag\n")]
    [InlineData("{\"q1\": {\"d1\": 2.5}}")]
    public void ProgressCountsEveryByteOfTheFile(string content)
    {
        using var dir = new TempDirectory();
        var path = dir.File("run");
        File.WriteAllText(path, content);
        var counter = new ByteCounter();

        Run.Read(path, counter);

        Assert.Equal(new FileInfo(path).Length, counter.Total);
    }

    [Theory]
    [InlineData("cast2019")]
    [InlineData("cast2020")]
    [InlineData("cast2022")]
    public void RealQrelsRoundTripThroughTrecAndJsonInTheirOrder(string year)
    {
        var source = Fixtures.Data(year, "qrels.txt");
        var qrels = Qrels.Read(source);
        var lines = File.ReadLines(source).Where(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(lines.Count, qrels.JudgmentCount);
        Assert.Equal(lines.Select(f => (f[0], f[2], int.Parse(f[3], CultureInfo.InvariantCulture))), qrels.Entries.Select(e => (e.QueryId, e.DocId, e.Relevance)));
        using var dir = new TempDirectory();
        qrels.Write(dir.File("q.trec"));
        Assert.Equal(qrels.Entries, Qrels.Read(dir.File("q.trec")).Entries);
        qrels.Write(dir.File("q.json"));
        var json = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(File.ReadAllText(dir.File("q.json")))!;
        Assert.Equal(qrels.Keys, json.Keys);
        Assert.Equal(qrels.Entries, Qrels.Read(dir.File("q.json")).Entries);
    }

    [Fact]
    public void MalformedQrelsLineNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("q.txt"), "1 0 d1 1\n1 0 d2 high\n");
        var e = Assert.Throws<DataFormatException>(() => Qrels.Read(dir.File("q.txt")));
        Assert.Equal($"{dir.File("q.txt")}:2: relevance 'high' is not an integer", e.Message);
    }

    [Fact]
    public void RunsWriteWhatTheyReadInTheFormatTheNameChooses()
    {
        using var dir = new TempDirectory();
        // Search scores are floats: written as the float's shortest text. Read scores are doubles: every digit kept.
        var run = new Run([
            new Ranking("q1", [new ScoredDocument("d2", 12.3456f), new ScoredDocument("d1", 0.1f)]),
            new Ranking("q0", [new ScoredDocument("d9", 0.123456789012345)]),
        ]);
        run.Write(dir.File("run.txt"), tag: "t");
        run.Write(dir.File("run.json"));
        run.Write(dir.File("forced"), RunFormat.Json);
        Assert.Equal("q1 Q0 d2 1 12.3456 t\nq1 Q0 d1 2 0.1 t\nq0 Q0 d9 1 0.123456789012345 t\n", File.ReadAllText(dir.File("run.txt")));
        Assert.Equal("{\"q1\":{\"d2\":12.3456,\"d1\":0.1},\"q0\":{\"d9\":0.123456789012345}}", File.ReadAllText(dir.File("run.json")));
        Assert.Equal(File.ReadAllText(dir.File("run.json")), File.ReadAllText(dir.File("forced")));
        foreach (var copy in new[] { Run.Read(dir.File("run.txt")), Run.Read(dir.File("run.json")) })
        {
            Assert.Equal(["q1", "q0"], copy.Keys);
            Assert.Equal(["d2", "d1"], copy["q1"].Documents.Select(d => d.DocId));
            Assert.Equal(0.123456789012345, copy["q0"]["d9"]);
            Assert.Equal(12.3456f, (float)copy["q1"]["d2"]);
        }
        Assert.Equal(RunFormat.Trec, RunFormats.ForPath("x.trec"));
        Assert.Equal(RunFormat.Json, RunFormats.ForPath("X.JSON"));
        Assert.Equal(RunFormat.Trec, RunFormats.ForPath("x.json", RunFormat.Trec));
    }

    [Fact]
    public void ARankingListingADocumentTwiceIsRefusedWhenLookedUp()
    {
        var ranking = new Ranking("q", [new ScoredDocument("d", 1), new ScoredDocument("d", 2)]);
        Assert.Throws<DiscoException>(() => ranking["d"]);
        Assert.Throws<DiscoException>(() => new Run([new Ranking("q", []), new Ranking("q", [])]));
    }
}
