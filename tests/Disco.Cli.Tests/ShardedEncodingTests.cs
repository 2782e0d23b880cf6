using System.CommandLine;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Index;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>`disco encode --shard I/N` and `--format anserini`, then `disco index` over the parts, on the tiny fixture model.</summary>
[Collection(nameof(ConsoleErrorWriters))]
public class ShardedEncodingTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        return CliErrors.Run(root, args);
    }

    private static string WriteCollection(TempDirectory dir)
    {
        var docs = File.ReadLines(Fixtures.Golden("golden_documents.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var path = dir.File("docs.tsv");
        File.WriteAllLines(path, docs.Select(d => d.GetProperty("id").GetString() + "\t" + d.GetProperty("text").GetString()));
        return path;
    }

    private static IndexMetadata Meta(string dir)
    {
        using var index = SparseIndex.Open(dir, verifyChecksums: true);
        return index.Metadata;
    }

    [Theory]
    [InlineData("vectors")]
    [InlineData("anserini")]
    public void Three_shards_indexed_together_equal_one_pass(string format)
    {
        using var dir = new TempDirectory();
        var collection = WriteCollection(dir);
        var ext = format == "anserini" ? ".json" : ".jsonl";
        // One text per batch: every text is encoded alone, whatever part it falls in, so the vectors are bit-identical.
        string[] common = ["--model", Fixtures.TinySplade, "--input", collection, "--batch-size", "1", "--format", format];
        Assert.Equal(0, Run(["encode", .. common, "--output", dir.File("all" + ext)]));
        Directory.CreateDirectory(dir.File("parts"));
        for (var i = 1; i <= 3; i++)
            Assert.Equal(0, Run(["encode", .. common, "--shard", $"{i}/3", "--output", Path.Combine(dir.File("parts"), $"part{i}{ext}")]));
        var lines = File.ReadAllLines(collection).Length;
        Assert.Equal([lines / 3, lines * 2 / 3 - lines / 3, lines - lines * 2 / 3], Enumerable.Range(1, 3).Select(i => File.ReadAllLines(Path.Combine(dir.File("parts"), $"part{i}{ext}")).Length));
        Assert.Equal(0, Run("index", "--vectors", dir.File("all" + ext), "--out", dir.File("one")));
        Assert.Equal(0, Run("index", "--vectors", dir.File("parts"), "--out", dir.File("sharded")));
        var one = Meta(dir.File("one"));
        var sharded = Meta(dir.File("sharded"));
        foreach (var file in new[] { "postings.bin", "blocks.bin", "terms.bin", "docids.bin", "docoffsets.bin" })
            Assert.Equal(one.Files[file], sharded.Files[file]);
        if (format == "anserini")
        {
            using var index = SparseIndex.Open(dir.File("one"));
            Assert.Equal(index.ReadPostings(0).Impacts.Select(w => MathF.Round(w)), index.ReadPostings(0).Impacts);
        }
    }

    [Fact]
    public void A_bad_shard_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        var collection = WriteCollection(dir);
        Assert.Equal(1, Run("encode", "--model", Fixtures.TinySplade, "--input", collection, "--shard", "4/3", "--output", dir.File("x.jsonl")));
        Assert.False(File.Exists(dir.File("x.jsonl")));
    }

    [Fact]
    public void Anserini_queries_repeat_each_token_by_its_integer_weight()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("q.tsv"), ["q1\twhat is a black hole", "q2\tsparse retrieval"]);
        Assert.Equal(0, Run("encode", "--model", Fixtures.TinySplade, "--input", dir.File("q.tsv"), "--kind", "query", "--format", "anserini", "--output", dir.File("q.out.tsv")));
        Assert.Equal(0, Run("encode", "--model", Fixtures.TinySplade, "--input", dir.File("q.tsv"), "--kind", "query", "--output", dir.File("q.jsonl")));
        var vectors = Core.Vectors.VectorFile.Read(dir.File("q.jsonl")).ToList();
        var lines = File.ReadAllLines(dir.File("q.out.tsv"));
        Assert.Equal(2, lines.Length);
        for (var i = 0; i < 2; i++)
        {
            var parts = lines[i].Split('\t');
            Assert.Equal(vectors[i].Id, parts[0]);
            var counts = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
            var expected = vectors[i].Terms.Zip(vectors[i].Weights).Select(p => (p.First, (int)MathF.Round(p.Second * 100f, MidpointRounding.ToEven))).Where(p => p.Item2 > 0).ToDictionary(p => p.First, p => p.Item2);
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), counts.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }
}
