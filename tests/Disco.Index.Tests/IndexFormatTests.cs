using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

public sealed class IndexFormatTests
{
    [Fact]
    public void Round_trip_keeps_every_posting_document_id_and_term()
    {
        var collection = new RandomCollection(seed: 11, maxDocs: 3000, maxVocabulary: 300);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index"), segmentPostings: 1024), verifyChecksums: true);
        Assert.Equal(collection.Documents.Count, index.DocumentCount);
        for (var d = 0; d < collection.Documents.Count; d++)
            Assert.Equal(collection.Documents[d].Id, index.DocumentId(d));
        var expected = new Dictionary<string, List<(int, float)>>();
        for (var d = 0; d < collection.Documents.Count; d++)
        {
            var doc = collection.Documents[d];
            for (var i = 0; i < doc.Terms.Length; i++)
            {
                if (!expected.TryGetValue(doc.Terms[i], out var list))
                    expected[doc.Terms[i]] = list = [];
                list.Add((d, doc.Weights[i]));
            }
        }
        Assert.Equal(expected.Count, index.TermCount);
        Assert.Equal(expected.Values.Sum(l => l.Count), index.PostingCount);
        foreach (var (term, list) in expected)
        {
            var (docs, impacts) = index.ReadPostings(index.TermId(term)!.Value);
            Assert.Equal(list, docs.Zip(impacts).ToList());
            Assert.Equal(list.Max(p => p.Item2), index.MaxImpact(index.TermId(term)!.Value));
        }
    }

    [Fact]
    public void Segment_size_does_not_change_the_index_files()
    {
        var collection = new RandomCollection(seed: 5, maxDocs: 2000, maxVocabulary: 200);
        using var dir = new TempDirectory();
        collection.Build(dir.File("small"), segmentPostings: 1024);
        collection.Build(dir.File("large"), segmentPostings: 10_000_000);
        foreach (var file in new[] { "postings.bin", "blocks.bin", "terms.bin", "docids.bin", "docoffsets.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("large"), file)), File.ReadAllBytes(Path.Combine(dir.File("small"), file)));
    }

    [Fact]
    public void Quantized_impacts_record_their_scale_and_stay_within_half_a_step()
    {
        var collection = new RandomCollection(seed: 9, maxDocs: 500);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index"), ImpactEncoding.UInt8));
        var max = collection.Documents.SelectMany(d => d.Weights).Max();
        Assert.Equal(max / 255, index.Metadata.Scale!.Value, 6);
        foreach (var doc in collection.Documents.Take(50))
        {
            for (var i = 0; i < doc.Terms.Length; i++)
            {
                var (docs, impacts) = index.ReadPostings(index.TermId(doc.Terms[i])!.Value);
                var impact = impacts[Array.IndexOf(docs, collection.Documents.ToList().IndexOf(doc))];
                Assert.InRange(Math.Abs(impact - doc.Weights[i]), 0, Math.Max(index.Scale * 0.5001, Math.Abs(index.Scale - doc.Weights[i])));
            }
        }
    }

    [Theory]
    [InlineData("postings.bin")]
    [InlineData("blocks.bin")]
    [InlineData("terms.bin")]
    [InlineData("docids.bin")]
    [InlineData("docoffsets.bin")]
    public void A_truncated_file_is_refused_with_its_name(string file)
    {
        using var dir = new TempDirectory();
        var path = new RandomCollection(seed: 4, maxDocs: 400).Build(dir.File("index"));
        var target = Path.Combine(path, file);
        var bytes = File.ReadAllBytes(target);
        File.WriteAllBytes(target, bytes[..^3]);
        var e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path));
        Assert.Contains(file, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData("blocks.bin", false)]
    [InlineData("terms.bin", false)]
    [InlineData("docoffsets.bin", false)]
    [InlineData("postings.bin", true)]
    [InlineData("docids.bin", true)]
    public void A_corrupted_byte_is_refused_by_its_checksum(string file, bool needsFullVerification)
    {
        using var dir = new TempDirectory();
        var path = new RandomCollection(seed: 4, maxDocs: 400).Build(dir.File("index"));
        var target = Path.Combine(path, file);
        var bytes = File.ReadAllBytes(target);
        bytes[IndexFormat.HeaderBytes + 5] ^= 0x40;
        File.WriteAllBytes(target, bytes);
        var e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path, verifyChecksums: needsFullVerification));
        Assert.Contains(file, e.Message);
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void Damaged_postings_raise_an_error_during_search_instead_of_reading_out_of_range()
    {
        using var dir = new TempDirectory();
        var collection = new RandomCollection(seed: 4, maxDocs: 400);
        // Without the block-max section, which keeps its own copy of the postings (checked when it opens).
        var path = collection.Build(dir.File("index"), blockMax: false);
        var target = Path.Combine(path, "postings.bin");
        var bytes = File.ReadAllBytes(target);
        // Every document offset becomes 65535, past every document of this 400-document index, so
        // any block is rejected, whether decoded (MaxScore, DAAT) or scattered (term-at-a-time).
        for (var i = IndexFormat.HeaderBytes; i < bytes.Length - IndexFormat.PostingsPadding; i++)
            bytes[i] = 0xFF;
        File.WriteAllBytes(target, bytes);
        using var index = SparseIndex.Open(path);
        var query = SearchQuery.Create(index, new TermVector("q", collection.Vocabulary, [.. collection.Vocabulary.Select(_ => 1f)]));
        foreach (var algorithm in ExactAlgorithms.Of(index))
        {
            var e = Assert.Throws<DiscoException>(() => new IndexSearcher(index).Search(query, 10, algorithm));
            Assert.Contains("postings.bin", e.Message);
        }
    }

    [Theory]
    [InlineData("version", 1, "version 1 is not supported")]
    [InlineData("rangeBits", 17, "range bits 17 are not supported")]
    [InlineData("format", "something-else", "not a Disco index")]
    [InlineData("impacts", "int4", "unknown impact encoding")]
    public void Unknown_versions_and_formats_in_meta_json_are_refused(string key, object value, string message)
    {
        using var dir = new TempDirectory();
        var path = new RandomCollection(seed: 4, maxDocs: 100).Build(dir.File("index"));
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        meta[key] = JsonValue.Create(value);
        // Resealed, as a deliberate edit would be: the values themselves are refused.
        IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
        var e = Assert.Throws<DataFormatException>(() => SparseIndex.Open(path));
        Assert.Contains(message, e.Message);
        Assert.Contains("meta.json", e.Message);
    }

    [Fact]
    public void A_binary_file_with_an_unknown_version_header_is_refused()
    {
        using var dir = new TempDirectory();
        var path = new RandomCollection(seed: 4, maxDocs: 100).Build(dir.File("index"));
        var target = Path.Combine(path, "postings.bin");
        var bytes = File.ReadAllBytes(target);
        bytes[8] = 9;
        File.WriteAllBytes(target, bytes);
        var e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path));
        Assert.Contains("version 9 is not supported", e.Message);
    }

    [Fact]
    public void An_interrupted_build_leaves_no_index_and_keeps_the_existing_one()
    {
        using var dir = new TempDirectory();
        var target = dir.File("index");
        var first = new RandomCollection(seed: 1, maxDocs: 200);
        first.Build(target);
        var before = File.ReadAllBytes(Path.Combine(target, "postings.bin"));
        using (var builder = new IndexBuilder(target, new IndexBuildOptions(SegmentPostings: 1024)))
        {
            foreach (var d in new RandomCollection(seed: 2, maxDocs: 2000).Documents)
                builder.Add(d);
            // Disposed without Complete: the build was interrupted.
        }
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(target, "postings.bin")));
        Assert.Equal([target], Directory.GetDirectories(dir.Path));
        using var index = SparseIndex.Open(target, verifyChecksums: true);
        Assert.Equal(first.Documents.Count, index.DocumentCount);
    }

    [Fact]
    public void A_completed_build_removes_leftovers_of_interrupted_builds_and_a_missing_index_names_its_moved_aside_copy()
    {
        using var dir = new TempDirectory();
        var target = dir.File("index");
        var first = new RandomCollection(seed: 1, maxDocs: 200);
        first.Build(target);
        // A build killed while writing (no meta.json) and one killed between the two renames of the
        // two-move swap (the old index moved aside and DIR missing).
        Directory.CreateDirectory(target + ".tmp-crashed");
        File.WriteAllText(Path.Combine(target + ".tmp-crashed", "postings.bin"), "half");
        Directory.Move(target, target + ".old-crashed");

        var error = Assert.Throws<DiscoException>(() => SparseIndex.Open(target));
        Assert.Contains($"{target}.old-crashed holds a complete copy", error.Message, StringComparison.Ordinal);
        Assert.Contains("rename it to index", error.Message, StringComparison.Ordinal);
        // A half-written leftover is never offered as the copy to restore.
        Directory.Delete(target + ".old-crashed", recursive: true);
        Assert.DoesNotContain("rename", Assert.Throws<DiscoException>(() => SparseIndex.Open(target)).Message, StringComparison.Ordinal);

        Directory.CreateDirectory(target + ".old-crashed");
        var second = new RandomCollection(seed: 2, maxDocs: 300);
        second.Build(target);
        Assert.Equal([target], Directory.GetDirectories(dir.Path));
        using var index = SparseIndex.Open(target, verifyChecksums: true);
        Assert.Equal(second.Documents.Count, index.DocumentCount);
    }

    [Fact]
    public void A_completed_build_replaces_an_existing_index_and_a_half_built_directory_is_not_an_index()
    {
        using var dir = new TempDirectory();
        var target = dir.File("index");
        new RandomCollection(seed: 1, maxDocs: 200).Build(target);
        var second = new RandomCollection(seed: 2, maxDocs: 300);
        using var builder = new IndexBuilder(target);
        foreach (var d in second.Documents)
            builder.Add(d);
        var temp = Directory.GetDirectories(dir.Path).Single(d => d.Contains(".tmp-", StringComparison.Ordinal));
        Assert.Throws<DiscoException>(() => SparseIndex.Open(temp));
        builder.Complete();
        Assert.Equal([target], Directory.GetDirectories(dir.Path));
        using var index = SparseIndex.Open(target, verifyChecksums: true);
        Assert.Equal(second.Documents.Count, index.DocumentCount);
    }

    [Fact]
    public void A_directory_that_is_not_an_index_is_never_replaced()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("precious"));
        File.WriteAllText(Path.Combine(dir.File("precious"), "notes.txt"), "keep me");
        var e = Assert.Throws<DiscoException>(() => new IndexBuilder(dir.File("precious")));
        Assert.Contains("not a Disco index", e.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(dir.File("precious"), "notes.txt")));
    }

    [Fact]
    public void Negative_weights_in_a_vectors_file_are_refused_with_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("v.jsonl"), ["{\"id\":\"a\",\"vector\":{\"x\":1.5}}", "", "{\"id\":\"b\",\"vector\":{\"x\":-0.5}}"]);
        var e = Assert.Throws<DataFormatException>(() => IndexBuilder.FromVectors(dir.File("v.jsonl"), dir.File("index")));
        Assert.StartsWith($"{dir.File("v.jsonl")}:3:", e.Message);
        Assert.Contains("negative", e.Message);
        Assert.False(Directory.Exists(dir.File("index")));
    }
}
