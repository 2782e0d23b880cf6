using System.IO.Compression;
using System.Text;
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Core.Runs;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Core.Tests;

/// <summary>
/// Every line reader fed what issue 15 found mixed or lost: byte order marks, invalid UTF-8, two
/// objects on a line, duplicate ids and members. Bad input is a <see cref="DataFormatException"/>
/// naming the file and the line; a BOM reads as if it were not there.
/// </summary>
public sealed class StrictReaderTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    // 0xC3 starts a two-byte sequence that 0x28 does not continue; 0xFF is never UTF-8.
    private static readonly byte[] Invalid = [0xC3, 0x28, 0xFF];

    private static string Write(TempDirectory dir, string name, params object[] parts)
    {
        var path = dir.File(name);
        var bytes = new List<byte>();
        foreach (var part in parts)
            bytes.AddRange(part as byte[] ?? Encoding.UTF8.GetBytes((string)part));
        File.WriteAllBytes(path, [.. bytes]);
        return path;
    }

    private static void AssertNamesLine(string path, long line, string problem, Func<object> read)
    {
        var e = Assert.Throws<DataFormatException>(() => read());
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"{path}:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("texts.tsv", "a\tfirst\nb\tsecond\n", "c\tthird\n")]
    [InlineData("texts.jsonl", "{\"id\":\"a\",\"text\":\"first\"}\n{\"id\":\"b\",\"text\":\"second\"}\n", "{\"id\":\"c\",\"text\":\"third\"}\n")]
    public void TextsReadStrictUtf8AndAcceptABom(string name, string head, string tail)
    {
        using var dir = new TempDirectory();
        var plain = TextRecordFile.Read(Write(dir, "plain-" + name, head, tail)).ToList();
        var withBom = TextRecordFile.Read(Write(dir, "bom-" + name, Bom, head, tail)).ToList();
        Assert.Equal(["a", "b", "c"], plain.Select(r => r.Id));
        Assert.Equal(plain, withBom);

        // Line 3 holds the bad bytes; the lines before it were fine (the reader must not blame them).
        var bad = Write(dir, "bad-" + name, head, name.EndsWith(".tsv", StringComparison.Ordinal) ? "c\tthi" : "{\"id\":\"c\",\"text\":\"thi", Invalid, tail[(tail.IndexOf("rd", StringComparison.Ordinal))..]);
        AssertNamesLine(bad, 3, "invalid UTF-8", () => TextRecordFile.Read(bad).ToList());
    }

    [Fact]
    public void InvalidUtf8IsFoundBeyondTheReadersBuffer()
    {
        using var dir = new TempDirectory();
        // 10,000 good lines (more than one 64 KB buffer), then a bad one: the line is counted exactly.
        var good = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"d{i}\tsome text é {i}\n"));
        var path = Write(dir, "long.tsv", good, "bad\t", Invalid, "\n");
        AssertNamesLine(path, 10_001, "invalid UTF-8", () => TextRecordFile.Read(path).ToList());
    }

    [Fact]
    public void DuplicateQueryIdsAreRefusedWhereTheyAppearAgainInEveryQueryFormat()
    {
        using var dir = new TempDirectory();
        var tsv = Write(dir, "q.tsv", "q1\tfirst\nq2\tsecond\nq1\tthird\n");
        var jsonl = Write(dir, "q.jsonl", "{\"id\":\"q1\",\"text\":\"a\"}\n\n{\"id\":\"q1\",\"text\":\"b\"}\n");
        var conversations = Write(dir, "c.jsonl", "{\"id\":\"7\",\"turns\":[{\"question\":\"a\"}]}\n{\"id\":7,\"turns\":[{\"question\":\"b\"}]}\n");
        var vectors = Write(dir, "v.jsonl", "{\"id\":\"q1\",\"vector\":{\"x\":1}}\n{\"id\":\"q2\",\"vector\":{\"x\":1}}\n{\"id\":\"q2\",\"vector\":{\"y\":1}}\n");

        // Text query files keep a repeated id's first line (SPLADE's toy dev_queries repeats ids;
        // QueryFile.DistinctTexts marks the deviation); conversations and vectors refuse it.
        Assert.Equal([("q1", "first"), ("q2", "second")], QueryFile.Read(tsv).Select(q => (q.Id, q.Text!)));
        Assert.Equal([("q1", "a")], QueryFile.Read(jsonl).Select(q => (q.Id, q.Text!)));
        Assert.Equal(["q1", "q2"], QueryFile.ReadTexts(tsv).Select(r => r.Id));
        AssertNamesLine(tsv, 3, "id 'q1' appears again (first on line 1)", () => TextRecordFile.Read(tsv, uniqueIds: true).ToList());
        AssertNamesLine(conversations, 2, "conversation id '7' appears again (first on line 1)", () => QueryFile.Read(conversations));
        AssertNamesLine(vectors, 3, "id 'q2' appears again (first on line 2)", () => QueryFile.Read(vectors));
        AssertNamesLine(conversations, 2, "appears again", () => ConversationFile.Read(conversations).ToList());

        // A collection may be read without the check: duplicate documents are the index builder's to report.
        Assert.Equal(3, TextRecordFile.Read(tsv).Count());
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1}}{\"id\":\"b\",\"vector\":{\"y\":2}}", "")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1}} {\"id\":\"b\"}", "")]
    [InlineData("{\"id\":\"a\",\"id\":\"b\",\"vector\":{\"x\":1}}", "\"id\" appears twice")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1},\"vector\":{\"y\":1}}", "\"vector\" appears twice")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1,\"x\":2}}", "token \"x\" appears twice")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"x\":1e39}}", "not a finite float")]
    public void AVectorLineHoldsExactlyOneWellFormedObject(string second, string problem)
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "v.jsonl", "{\"id\":\"z\",\"vector\":{\"x\":1}}\n", second, "\n");
        AssertNamesLine(path, 2, problem, () => VectorFile.Read(path).ToList());
    }

    [Fact]
    public void VectorFilesPlainAndGzippedAcceptABomAndRefuseInvalidUtf8()
    {
        using var dir = new TempDirectory();
        const string Lines = "{\"id\":\"a\",\"vector\":{\"é\":1.5}}\n{\"id\":\"b\",\"vector\":{\"x\":2}}\n";
        var withBom = Write(dir, "bom.jsonl", Bom, Lines);
        Assert.Equal(["a", "b"], VectorFile.Read(withBom).Select(v => v.Id));
        Assert.Equal(["a", "b"], VectorInputs.Read(withBom).Select(r => r.Vector.Id));

        var bad = Write(dir, "bad.jsonl", Lines, "{\"id\":\"c\",\"vector\":{\"", Invalid, "\":1}}\n");
        AssertNamesLine(bad, 3, "invalid UTF-8", () => VectorFile.Read(bad).ToList());

        var gz = dir.File("bad.jsonl.gz");
        using (var file = File.Create(gz))
        using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            zip.Write(File.ReadAllBytes(bad));
        AssertNamesLine(gz, 3, "invalid UTF-8", () => VectorInputs.Read(gz).ToList());
    }

    [Fact]
    public void AJsonlObjectWithAMemberTwiceIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "c.jsonl", "{\"id\":\"1\",\"turns\":[{\"question\":\"a\"}]}\n{\"id\":\"2\",\"turns\":[{\"question\":\"a\"}],\"turns\":[]}\n");
        AssertNamesLine(path, 2, "invalid JSON", () => ConversationFile.Read(path).ToList());
    }

    [Fact]
    public void QrelsWithABomMatchTheSameQrelsWithout()
    {
        using var dir = new TempDirectory();
        const string Judgments = "q1 0 d1 1\nq1 0 d2 0\nq2 0 d3 2\n";
        var plain = Qrels.Read(Write(dir, "plain.qrels", Judgments));
        var withBom = Qrels.Read(Write(dir, "bom.qrels", Bom, Judgments));
        // With the BOM kept, the first query id would be "\uFEFFq1" and every judgment of q1 would miss.
        Assert.Equal(plain.Keys.Order(StringComparer.Ordinal), withBom.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, withBom["q1"]["d1"]);

        var run = Run.Read(Write(dir, "bom.run", Bom, "q1 Q0 d1 1 2.5 tag\n"));
        Assert.Equal(["q1"], run.Keys);
    }

    [Fact]
    public void TrecFilesAcceptWhatTrecEvalAccepts()
    {
        using var dir = new TempDirectory();
        var qrels = Qrels.Read(Write(dir, "q.qrels", "q1 0 d1 1.0\nq1 0 d2 0.0\nq1 0 d3 -1.0\n"));
        Assert.Equal(1, qrels["q1"]["d1"]);
        Assert.Equal(0, qrels["q1"]["d2"]);
        Assert.Equal(-1, qrels["q1"]["d3"]);
        var json = Qrels.Read(Write(dir, "q.json", "{\"q1\": {\"d1\": 1.0, \"d2\": 2}}"));
        Assert.Equal(1, json["q1"]["d1"]);

        var run = Run.Read(Write(dir, "r.run", "q1 Q0 d1 1 inf t\nq1 Q0 d2 2 -Infinity t\nq1 Q0 d3 3 +INF t\nq1 Q0 d4 4 1e400 t\n"));
        Assert.Equal(double.PositiveInfinity, run["q1"]["d1"]);
        Assert.Equal(double.NegativeInfinity, run["q1"]["d2"]);
        Assert.Equal(double.PositiveInfinity, run["q1"]["d3"]);
        Assert.Equal(double.PositiveInfinity, run["q1"]["d4"]);
    }

    [Theory]
    [InlineData("q.qrels", "q1 0 d1 1\nq1 0 d2 0.5\n", 2, "relevance '0.5' is not an integer")]
    [InlineData("q.json", "{\"q1\": {\"d1\": 1,\n \"d2\": 0.5}}", 2, "is not an integer")]
    [InlineData("r.run", "q1 Q0 d1 1 2 t\nq1 Q0 d2 2 nan t\n", 2, "score 'nan' is not a number")]
    [InlineData("r.run", "q1 Q0 d1 1 2 t\nq1 Q0 d2 2 infinite t\n", 2, "score 'infinite' is not a number")]
    public void WhatTrecEvalWouldTruncateOrRankArbitrarilyIsRefused(string name, string content, int line, string problem)
    {
        using var dir = new TempDirectory();
        var path = Write(dir, name, content);
        AssertNamesLine(path, line, problem, () => name.StartsWith('q') ? Qrels.Read(path) : Run.Read(path));
    }

    [Theory]
    [InlineData("q.qrels")]
    [InlineData("q.json")]
    [InlineData("r.run")]
    [InlineData("r.json")]
    public void RunsAndQrelsRefuseInvalidUtf8NamingTheLine(string name)
    {
        using var dir = new TempDirectory();
        var path = name switch
        {
            "q.qrels" => Write(dir, name, "q1 0 d1 1\nq1 0 d", Invalid, " 1\n"),
            "r.run" => Write(dir, name, "q1 Q0 d1 1 2 t\nq1 Q0 d", Invalid, " 2 1 t\n"),
            _ => Write(dir, name, "{\"q1\": {\"d1\": 1,\n \"d", Invalid, "\": 1}}"),
        };
        AssertNamesLine(path, 2, "invalid UTF-8", () => name.StartsWith('q') ? Qrels.Read(path) : Run.Read(path));
    }
}
