using System.Text;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Core.Tests;

/// <summary>
/// The streaming vectors reader (UTF-8 bytes straight to term ids) against independent oracles:
/// <see cref="StreamReader.ReadLine"/> for line splitting, the vectors as written for parsing,
/// and a table lookup of each term string for the resolved ids.
/// </summary>
public class StreamingVectorReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Lines_split_as_StreamReader_splits_them_across_buffer_boundaries(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        string[] pieces = ["\n", "\r\n", "\r", "a", "é", "𝄞", " ", "{\"x\":1}", new string('y', 70_000)];
        for (var i = 0; i < 400; i++)
            text.Append(pieces[random.Next(pieces.Length)]);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var expected = new List<string>();
        using (var oracle = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false)))
        {
            while (oracle.ReadLine() is { } l)
                expected.Add(l);
        }
        var actual = new List<string>();
        // A stream that hands out a few bytes at a time puts "\r\n" and multi-byte characters across reads.
        using var reader = new Utf8LineReader("mem", new TrickleStream(bytes, random));
        while (reader.MoveNext(out var line))
        {
            actual.Add(Encoding.UTF8.GetString(line));
            Assert.Equal(actual.Count, reader.LineNumber);
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_with_its_number()
    {
        var bytes = Encoding.UTF8.GetBytes("short\n" + new string('x', 5000) + "\n");
        using var reader = new Utf8LineReader("big.jsonl", new MemoryStream(bytes), maxLineBytes: 1000);
        Assert.True(reader.MoveNext(out _));
        DataFormatException e;
        try
        {
            reader.MoveNext(out _);
            throw new InvalidOperationException("not refused");
        }
        catch (DataFormatException caught)
        {
            e = caught;
        }
        Assert.StartsWith("big.jsonl:2:", e.Message, StringComparison.Ordinal);
        Assert.Contains("longer than 1000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_names_the_line_and_the_file_offset()
    {
        byte[] bytes = [.. "ok\r\nfine\n"u8, (byte)'a', 0xC3, 0x28, (byte)'\n'];
        using var reader = new Utf8LineReader("bad.jsonl", new MemoryStream(bytes));
        Assert.True(reader.MoveNext(out _));
        Assert.True(reader.MoveNext(out _));
        DataFormatException? e = null;
        try
        {
            reader.MoveNext(out _);
        }
        catch (DataFormatException caught)
        {
            e = caught;
        }
        Assert.NotNull(e);
        Assert.Equal("bad.jsonl:3: invalid UTF-8 (byte 0xc3 at offset 10)", e.Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Resolved_vectors_equal_the_written_ones_and_use_the_tables_strings(int seed)
    {
        var random = new Random(seed);
        string[] vocabulary = [.. Enumerable.Range(0, 300).Select(i => i % 7 == 0 ? $"é\"{i}\\ü" : $"w{i}")];
        var table = new TermTable(vocabulary);
        var vectors = Enumerable.Range(0, 50).Select(q =>
        {
            var terms = Enumerable.Range(0, random.Next(0, 60))
                .Select(_ => random.Next(10) == 0 ? $"unknown{random.Next(1000)}" : vocabulary[random.Next(vocabulary.Length)])
                .Distinct().ToArray();
            return new TermVector($"q{q}", terms, [.. terms.Select(_ => (float)random.NextDouble() * 3)]);
        }).ToList();
        using var dir = new TempDirectory();
        var path = dir.File("q.jsonl");
        VectorFile.Write(path, vectors);
        var read = VectorFile.Read(path, uniqueIds: true, table).ToList();
        var unresolved = VectorFile.Read(path).ToList();
        Assert.Equal(vectors.Count, read.Count);
        for (var i = 0; i < vectors.Count; i++)
        {
            Assert.Equal(vectors[i].Id, read[i].Id);
            Assert.Equal(vectors[i].Terms, read[i].Terms);
            Assert.Equal(vectors[i].Weights, read[i].Weights);
            Assert.Same(table, read[i].Table);
            Assert.Equal(vectors[i].Terms.Select(t => Array.IndexOf(vocabulary, t)), read[i].TermIds!);
            for (var t = 0; t < read[i].Terms.Length; t++)
            {
                if (read[i].TermIds![t] >= 0)
                    Assert.Same(vocabulary[read[i].TermIds![t]], read[i].Terms[t]);
            }
            Assert.Equal(vectors[i].Terms, unresolved[i].Terms);
            Assert.Equal(vectors[i].Weights, unresolved[i].Weights);
        }
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"vector\":{\"w1\":1,\"\\u0077\\u0031\":2}}", "token \"w1\" appears twice")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"zz\":1,\"z\\u007a\":2}}", "token \"zz\" appears twice")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"w1\":\"x\"}}", "weight of \"w1\" is not a number")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"w1\":1}} {}", "invalid JSON")]
    [InlineData("{\"id\":\"a\",\"vector\":{\"w1\":1e39}}", "weight of \"w1\" is not a finite float")]
    [InlineData("{\"id\":\"a\",\"id\":\"b\",\"vector\":{}}", "\"id\" appears twice")]
    [InlineData("{\"id\":\"z\",\"vector\":{}}", "vector id 'z' appears again (first on line 1)")]
    public void With_a_table_every_strict_rule_holds(string second, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("q.jsonl");
        File.WriteAllText(path, "\uFEFF{\"id\":\"z\",\"vector\":{\"w1\":1}}\r\n\n" + second + "\n");
        var table = new TermTable(["w0", "w1"]);
        var e = Assert.Throws<DataFormatException>(() => VectorFile.Read(path, uniqueIds: true, table).ToList());
        Assert.StartsWith($"{path}:3:", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_files_resolve_through_the_table_and_refuse_a_repeated_id()
    {
        using var dir = new TempDirectory();
        var path = dir.File("q.jsonl");
        File.WriteAllText(path, "{\"id\":\"1\",\"vector\":{\"b\":0.5,\"x\":2}}\n{\"id\":2,\"vector\":{\"a\":1}}\n");
        var table = new TermTable(["a", "b"]);
        var queries = QueryFile.Read(path, table);
        Assert.Equal([1, -1], queries[0].Terms!.TermIds!);
        Assert.Equal([0], queries[1].Terms!.TermIds!);
        Assert.Equal("2", queries[1].Id);
        File.AppendAllText(path, "{\"id\":\"1\",\"vector\":{}}\n");
        Assert.Contains("appears again", Assert.Throws<DataFormatException>(() => QueryFile.Read(path, table)).Message, StringComparison.Ordinal);
    }

    /// <summary>Hands out 1 to 7 bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes, Random random) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(1, 8)));
    }
}
