using System.Text.Json;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.TestSupport;

namespace Disco.Interop.Tests;

public class AnseriniVectorsTests
{
    [Fact]
    public void Documents_are_JsonVectorCollection_lines_with_rounded_integer_weights_and_zeros_dropped()
    {
        using var temp = new TempDirectory();
        var path = temp.File("docs.jsonl");
        AnseriniVectors.WriteDocuments(path, [
            (new TermVector("d1", ["hello", "##ing", "tiny", "half", "odd"], [1.234f, 0.5f, 0.004f, 0.005f, 0.015f]), "Hello \"world\""),
            (new TermVector("d2", ["tiny"], [0.001f]), ""),
        ]);
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        using var d1 = JsonDocument.Parse(lines[0]);
        Assert.Equal("d1", d1.RootElement.GetProperty("id").GetString());
        Assert.Equal("Hello \"world\"", d1.RootElement.GetProperty("contents").GetString());
        var vector = d1.RootElement.GetProperty("vector").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())).ToList();
        // round half to even on the float32 product, as numpy's rint: 0.005f*100 = 0.5 -> 0, 0.015f*100 = 1.5 -> 2.
        Assert.Equal([("hello", 123), ("##ing", 50), ("odd", 2)], vector);
        Assert.Equal("{\"id\":\"d2\",\"contents\":\"\",\"vector\":{}}", lines[1]);
    }

    [Fact]
    public void Queries_are_tsv_with_each_token_repeated_by_its_integer_weight()
    {
        using var temp = new TempDirectory();
        var path = temp.File("queries.tsv");
        AnseriniVectors.WriteQueries(path, [new TermVector("q1", ["a", "##b", "a", "c"], [0.01f, 0.03f, 0.01f, 0.001f]), new TermVector("q2", [], [])], 100f);
        Assert.Equal(["q1\ta a ##b ##b ##b", "q2\t"], File.ReadAllLines(path));
    }

    [Fact]
    public void An_index_over_the_written_documents_holds_the_integer_weights()
    {
        using var temp = new TempDirectory();
        var documents = VectorFile.Read(InteropFixtures.Path("vectors-str.jsonl")).ToList();
        var folder = Directory.CreateDirectory(temp.File("collection")).FullName;
        AnseriniVectors.WriteDocuments(Path.Combine(folder, "docs00.jsonl"), documents.Take(20).Select(d => (d, "text " + d.Id)));
        AnseriniVectors.WriteDocuments(Path.Combine(folder, "docs01.jsonl"), documents.Skip(20).Select(d => (d, "text " + d.Id)));
        IndexBuilder.FromVectors([folder], temp.File("index"));
        using var index = SparseIndex.Open(temp.File("index"));
        Assert.Equal(documents.Select(d => d.Id), Enumerable.Range(0, index.DocumentCount).Select(index.DocumentId));
        var d7 = documents[7];
        for (var i = 0; i < d7.Terms.Length; i++)
        {
            var q = MathF.Round(d7.Weights[i] * 100f, MidpointRounding.ToEven);
            var (docs, impacts) = index.ReadPostings(index.TermId(d7.Terms[i])!.Value);
            var at = Array.IndexOf(docs, 7);
            Assert.Equal(q, at >= 0 ? impacts[at] : 0f);
        }
    }
}
