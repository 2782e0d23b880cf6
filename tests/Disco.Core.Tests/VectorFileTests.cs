using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Core.Tests;

public class VectorFileTests
{
    [Fact]
    public void Round_trip_keeps_full_float_precision()
    {
        using var dir = new TempDirectory();
        var path = dir.File("v.jsonl");
        var rng = new Random(7);
        var vectors = Enumerable.Range(0, 20).Select(i => new TermVector(
            $"d{i}",
            [.. Enumerable.Range(0, 5).Select(j => $"t\"{i}_{j}é")],
            [.. Enumerable.Range(0, 5).Select(_ => (float)rng.NextDouble() * 3f)])).ToList();
        VectorFile.Write(path, vectors);
        var back = VectorFile.Read(path).ToList();
        Assert.Equal(vectors.Count, back.Count);
        for (var i = 0; i < vectors.Count; i++)
        {
            Assert.Equal(vectors[i].Id, back[i].Id);
            Assert.Equal(vectors[i].Terms, back[i].Terms);
            Assert.Equal(vectors[i].Weights, back[i].Weights);
        }
    }

    [Fact]
    public void Malformed_line_names_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.jsonl");
        File.WriteAllText(path, "{\"id\":\"a\",\"vector\":{\"x\":1}}\n{\"id\":\"b\",\"vector\":{\"x\":\"no\"}}\n");
        var e = Assert.Throws<DataFormatException>(() => VectorFile.Read(path).ToList());
        Assert.StartsWith($"{path}:2:", e.Message, StringComparison.Ordinal);
    }
}
