using Disco.Core;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

public class MergeAndInputsTests
{
    private static readonly string[] ContentFiles = ["postings.bin", "blocks.bin", "terms.bin", "docids.bin", "docoffsets.bin"];

    /// <summary>The checksums of the files that hold an index's contents (meta.json's build section differs by design).</summary>
    private static List<string> Contents(string dir)
    {
        using var index = SparseIndex.Open(dir, verifyChecksums: true);
        return [.. ContentFiles.Select(f => $"{f} {index.Metadata.Files[f].Bytes} {index.Metadata.Files[f].Crc32C}")];
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 4)]
    [InlineData(3, 6)]
    [InlineData(4, 16)]
    public void Merging_indexes_of_consecutive_parts_equals_one_build_over_all_of_them(int seed, int rangeBits)
    {
        using var temp = new TempDirectory();
        var collection = new RandomCollection(seed, maxDocs: 400);
        var docs = collection.Documents;
        var cut1 = docs.Count / 3;
        var cut2 = docs.Count * 2 / 3;
        var options = new IndexBuildOptions(RangeBits: rangeBits, SegmentPostings: 1024);
        var parts = new[] { docs.Take(cut1), docs.Skip(cut1).Take(cut2 - cut1), docs.Skip(cut2) }
            .Select((p, i) => TestIndex.Build(temp.File($"part{i}"), p, options)).ToList();
        var whole = TestIndex.Build(temp.File("whole"), docs, options);
        var merged = temp.File("merged");
        var meta = IndexMerge.Merge(parts, merged);
        Assert.Equal(Contents(whole), Contents(merged));
        Assert.Equal("merge", meta.Build["source"]);
    }

    [Fact]
    public void Quantized_inputs_with_one_scale_keep_their_codes_and_different_scales_merge_as_float32()
    {
        using var temp = new TempDirectory();
        var a = new TermVector("a", ["x", "y"], [1f, 2f]);
        var b = new TermVector("b", ["x"], [0.5f]);
        var c = new TermVector("c", ["y"], [4f]);
        var u8 = new IndexBuildOptions(ImpactEncoding.UInt8);
        var same1 = TestIndex.Build(temp.File("s1"), [a], u8);
        var same2 = TestIndex.Build(temp.File("s2"), [new TermVector("b", ["x", "z"], [2f, 1f])], u8);
        IndexMerge.Merge([same1, same2], temp.File("same"));
        using (var index = SparseIndex.Open(temp.File("same")))
        using (var s1 = SparseIndex.Open(same1))
        using (var s2 = SparseIndex.Open(same2))
        {
            Assert.Equal(ImpactEncoding.UInt8, index.Encoding);
            Assert.Equal(s1.Scale, index.Scale);
            var x = index.ReadPostings(index.TermId("x")!.Value);
            Assert.Equal([0, 1], x.Docs);
            Assert.Equal([s1.ReadPostings(s1.TermId("x")!.Value).Impacts[0], s2.ReadPostings(s2.TermId("x")!.Value).Impacts[0]], x.Impacts);
        }
        var other = TestIndex.Build(temp.File("o"), [b, c], u8);
        IndexMerge.Merge([same1, other], temp.File("mixed"));
        using var mixed = SparseIndex.Open(temp.File("mixed"));
        using var first = SparseIndex.Open(same1);
        using var second = SparseIndex.Open(other);
        Assert.Equal(ImpactEncoding.Float32, mixed.Encoding);
        var y = mixed.ReadPostings(mixed.TermId("y")!.Value);
        Assert.Equal([0, 2], y.Docs);
        Assert.Equal([first.ReadPostings(first.TermId("y")!.Value).Impacts[0], second.ReadPostings(second.TermId("y")!.Value).Impacts[0]], y.Impacts);
    }

    [Fact]
    public void Merge_refuses_a_document_id_in_two_indexes_naming_it_and_both_and_leaves_nothing()
    {
        using var temp = new TempDirectory();
        var one = TestIndex.Build(temp.File("one"), [new("d1", ["x"], [1f]), new("shared", ["y"], [1f])]);
        var two = TestIndex.Build(temp.File("two"), [new("d2", ["x"], [1f]), new("d3", ["x"], [1f]), new("shared", ["x"], [2f])]);
        var output = temp.File("merged");
        var e = Assert.Throws<DuplicateDocumentIdException>(() => IndexMerge.Merge([one, two], output));
        Assert.Equal("duplicate document id \"shared\": " + one + " document 2 and " + two + " document 3", e.Message);
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetDirectories(temp.Path, "merged*"));
    }

    [Fact]
    public void A_build_refuses_a_repeated_id_naming_the_file_and_line_of_both()
    {
        using var temp = new TempDirectory();
        var a = temp.File("a.jsonl");
        var b = temp.File("b.jsonl");
        File.WriteAllLines(a, ["{\"id\":\"1\",\"vector\":{\"x\":1}}", "", "{\"id\":\"2\",\"vector\":{\"x\":1}}"]);
        File.WriteAllLines(b, ["{\"id\":\"3\",\"vector\":{\"x\":1}}", "{\"id\":\"2\",\"vector\":{\"y\":1}}"]);
        var output = temp.File("index");
        var e = Assert.Throws<DuplicateDocumentIdException>(() => IndexBuilder.FromVectors([a, b], output));
        Assert.Equal($"duplicate document id \"2\": {a}:3 and {b}:2", e.Message);
        Assert.False(Directory.Exists(output));
        var within = Assert.Throws<DuplicateDocumentIdException>(() => TestIndex.Build(temp.File("i2"), [new("p", ["x"], [1f]), new("q", ["x"], [1f]), new("p", ["x"], [1f])]));
        Assert.Equal("p", within.Id);
    }

    [Fact]
    public void Duplicate_ids_are_found_among_many_documents_across_table_growth()
    {
        using var temp = new TempDirectory();
        var docs = Enumerable.Range(0, 20_000).Select(i => new TermVector(i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["x"], [1f])).ToList();
        TestIndex.Build(temp.File("ok"), docs);
        docs.Add(new TermVector("1234", ["x"], [1f]));
        var e = Assert.Throws<DuplicateDocumentIdException>(() => TestIndex.Build(temp.File("dup"), docs));
        Assert.Equal("1234", e.Id);
        Assert.Equal("document 1235", e.FirstSource);
        Assert.Equal("document 20001", e.SecondSource);
    }

    [Fact]
    public void Vector_files_folders_gzip_and_json_arrays_index_like_one_file_in_natural_order()
    {
        using var temp = new TempDirectory();
        var docs = new RandomCollection(5, maxDocs: 200).Documents;
        while (docs.Count < 12)
            docs = new RandomCollection(docs.Count + 100, maxDocs: 200).Documents;
        var one = temp.File("all.jsonl");
        VectorFile.Write(one, docs);
        var lines = File.ReadAllLines(one);
        var folder = Directory.CreateDirectory(temp.File("parts")).FullName;
        var n = lines.Length;
        // part2 before part10 (natural order); part10 is a gzipped JSON array with Anserini's extra "contents" field.
        File.WriteAllLines(Path.Combine(folder, "part1.jsonl"), lines[..(n / 3)]);
        File.WriteAllLines(Path.Combine(folder, "part2.json"), lines[(n / 3)..(2 * n / 3)]);
        var array = "[\n" + string.Join(",\n", lines[(2 * n / 3)..].Select(l => l.Insert(1, "\"contents\":\"text\","))) + "\n]";
        using (var gz = new System.IO.Compression.GZipStream(File.Create(Path.Combine(folder, "part10.json.gz")), System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(array));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "ignored");
        IndexBuilder.FromVectors([one], temp.File("a"));
        IndexBuilder.FromVectors([folder], temp.File("b"));
        Assert.Equal(Contents(temp.File("a")), Contents(temp.File("b")));
    }

    [Fact]
    public void Missing_inputs_and_empty_folders_are_named()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<DiscoException>(() => IndexBuilder.FromVectors([temp.File("nope.jsonl")], temp.File("i")));
        Assert.Contains("nope.jsonl: file or folder not found", e.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(temp.File("empty"));
        e = Assert.Throws<DiscoException>(() => IndexBuilder.FromVectors([temp.File("empty")], temp.File("i")));
        Assert.Contains("holds no vector files", e.Message, StringComparison.Ordinal);
    }
}
