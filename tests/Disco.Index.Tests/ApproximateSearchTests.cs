using System.Text.Json.Nodes;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Index.Tests;

public sealed class ApproximateSearchTests
{
    [Fact]
    public void Approximate_scores_are_the_exact_scores_of_the_same_documents()
    {
        for (var seed = 1; seed <= 30; seed++)
        {
            var collection = new RandomCollection(seed, maxDocs: 500);
            var impacts = (ImpactEncoding)(seed % 3);
            using var dir = new TempDirectory();
            // Short head lists (1 to 8 postings) so candidates are really missed.
            var options = new IndexBuildOptions(impacts, 1024, 4 + (seed % 5)) { Ann = new AnnBuildOptions(1 + (seed % 8)), Order = (DocumentOrder)(seed % 2) };
            using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, options), verifyChecksums: true);
            var inIndexOrder = DocumentOrderTests.InIndexOrder(index, collection.Documents);
            var searcher = new IndexSearcher(index);
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var all = BruteForceOracle.TopK(inIndexOrder, query, index, int.MaxValue, impacts).ToDictionary(h => h.DocId, h => h.Score);
                foreach (var (budget, terms) in new[] { (1, 1), (3, 2), (10, 3), (1000, 20) })
                {
                    var hits = searcher.Search(query, collection.K, new ApproximateSearch(budget, terms));
                    Assert.True(hits.Length <= Math.Min(collection.K, budget));
                    Assert.Equal(hits.Length, hits.Select(h => h.Doc).Distinct().Count());
                    foreach (var h in hits)
                        Assert.Equal(all[index.DocumentId(h.Doc)], h.Score);
                    // Best first; ties by the earlier document.
                    Assert.Equal(hits.OrderByDescending(h => h.Score).ThenBy(h => h.Doc), hits);
                }
            }
        }
    }

    [Fact]
    public void Approximate_scores_are_exact_on_long_documents_over_a_large_vocabulary()
    {
        // Re-scoring filters a record's term ids sixteen at a time by their low 9 bits: ids in
        // the thousands share filter bits with query terms, and records run past sixteen terms.
        for (var seed = 1; seed <= 6; seed++)
        {
            var collection = new RandomCollection(seed, maxDocs: 150, maxVocabulary: 3000);
            var impacts = (ImpactEncoding)(seed % 3);
            using var dir = new TempDirectory();
            var options = new IndexBuildOptions(impacts, 1024, 4 + (seed % 5)) { Ann = new AnnBuildOptions(1 + (seed % 8)) };
            using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, options));
            var searcher = new IndexSearcher(index);
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var all = BruteForceOracle.TopK(collection.Documents, query, index, int.MaxValue, impacts).ToDictionary(h => h.DocId, h => h.Score);
                foreach (var (budget, terms) in new[] { (5, 3), (1000, 20) })
                {
                    foreach (var h in searcher.Search(query, collection.K, new ApproximateSearch(budget, terms)))
                        Assert.Equal(BitConverter.SingleToInt32Bits(all[index.DocumentId(h.Doc)]), BitConverter.SingleToInt32Bits(h.Score));
                }
            }
        }
    }

    [Fact]
    public void With_every_posting_in_the_head_lists_and_an_unlimited_budget_approximate_equals_exact()
    {
        for (var seed = 1; seed <= 30; seed++)
        {
            var collection = new RandomCollection(seed, maxDocs: 500);
            var impacts = (ImpactEncoding)(seed % 3);
            using var dir = new TempDirectory();
            var options = new IndexBuildOptions(impacts, 1024, 4 + (seed % 5)) { Ann = new AnnBuildOptions(ListSize: 1 << 20) };
            using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, options));
            var searcher = new IndexSearcher(index);
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var expected = BruteForceOracle.TopK(collection.Documents, query, index, collection.K, impacts);
                foreach (var point in new[] { new ApproximateSearch(1 << 20, 100), ApproximateSearch.Exact })
                {
                    var actual = searcher.Search(query, collection.K, point).Select(h => (index.DocumentId(h.Doc), h.Score)).ToList();
                    Assert.True(expected.SequenceEqual(actual), $"seed {seed}, {impacts}, {point}, query {vector.Id}");
                }
            }
        }
    }

    [Fact]
    public void Recall_at_10_at_the_default_operating_point_is_within_the_documented_bound_on_clustered_data()
    {
        var collection = new ClusteredTestCollection(seed: 11, documents: 30_000, topics: 60, queries: 100);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Ann = new AnnBuildOptions() }));
        var searcher = new IndexSearcher(index);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        var exact = searcher.SearchBatch(queries, 10, threads: 1);
        var approximate = searcher.SearchBatch(queries, 10, new ApproximateSearch(), threads: 2);
        var found = queries.Select((_, i) => approximate[i].Count(h => exact[i].Any(e => e.Doc == h.Doc))).Sum();
        var recall = (double)found / exact.Sum(e => e.Length);
        Assert.True(recall >= ApproximateSearch.DocumentedRecall, $"recall@10 {recall:F4}");
    }

    [Fact]
    public void Approximate_search_structures_added_to_an_existing_index_replace_the_previous_ones_and_search_alike()
    {
        var collection = new RandomCollection(seed: 9, maxDocs: 800, maxVocabulary: 60);
        using var dir = new TempDirectory();
        var built = TestIndex.Build(dir.File("built"), collection.Documents, new IndexBuildOptions { Ann = new AnnBuildOptions(16) });
        var added = TestIndex.Build(dir.File("added"), collection.Documents);
        using (var plain = SparseIndex.Open(added))
        {
            Assert.False(plain.HasAnn);
            Assert.Throws<DiscoException>(() => new IndexSearcher(plain).Search(SearchQuery.Create(plain, collection.Queries[1]), 10, new ApproximateSearch()));
        }
        var first = IndexBuilder.AddApproximateSearch(added, new AnnBuildOptions(5));
        var second = IndexBuilder.AddApproximateSearch(added, new AnnBuildOptions(16));
        Assert.Equal((1, 2), (first.Ann!.Generation, second.Ann!.Generation));
        // Only the files of the current generation remain, and each is listed with its checksum.
        var annFiles = Directory.GetFiles(added, "ann*").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(second.Ann.Files.Values.Order(), annFiles);
        using var a = SparseIndex.Open(built, verifyChecksums: true);
        using var b = SparseIndex.Open(added, verifyChecksums: true);
        foreach (var vector in collection.Queries)
        {
            var qa = SearchQuery.Create(a, vector);
            var qb = SearchQuery.Create(b, vector);
            Assert.Equal(
                new IndexSearcher(a).Search(qa, 10, new ApproximateSearch(7, 3)).Select(h => (a.DocumentId(h.Doc), h.Score)),
                new IndexSearcher(b).Search(qb, 10, new ApproximateSearch(7, 3)).Select(h => (b.DocumentId(h.Doc), h.Score)));
        }
    }

    [Fact]
    public void A_damaged_head_list_file_is_reported_when_checksums_are_verified()
    {
        var collection = new RandomCollection(seed: 4, maxDocs: 300);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Ann = new AnnBuildOptions(8) });
        using (var index = SparseIndex.Open(path))
            Assert.True(index.HasAnn);
        var heads = Directory.GetFiles(path, "ann*.heads.bin").Single();
        var bytes = File.ReadAllBytes(heads);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(heads, bytes);
        var error = Assert.Throws<DiscoException>(() => SparseIndex.Open(path, verifyChecksums: true));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void A_section_of_an_older_version_leaves_exact_search_working_refuses_approximate_search_and_is_replaced_by_a_rebuild()
    {
        var collection = new RandomCollection(seed: 5, maxDocs: 400);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Ann = new AnnBuildOptions(8) });
        // What a version-1 section looks like to this reader: version 1, and no segments file.
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        var ann = meta["ann"]!.AsObject();
        ann["version"] = 1;
        var segments = ann["files"]!["segments"]!.GetValue<string>();
        ann["files"]!.AsObject().Remove("segments");
        meta["files"]!.AsObject().Remove(segments);
        File.Delete(Path.Combine(path, segments));
        IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
        using (var index = SparseIndex.Open(path, verifyChecksums: true))
        {
            Assert.False(index.HasAnn);
            var searcher = new IndexSearcher(index);
            var query = SearchQuery.Create(index, collection.Queries[0]);
            var expected = BruteForceOracle.TopK(collection.Documents, query, index, collection.K, ImpactEncoding.Float32);
            Assert.Equal(expected, searcher.Search(query, collection.K).Select(h => (index.DocumentId(h.Doc), h.Score)));
            var e = Assert.Throws<DiscoException>(() => searcher.Search(query, collection.K, new ApproximateSearch()));
            Assert.Contains("version 1 is not supported", e.Message);
            Assert.Contains("disco index ann", e.Message);
        }
        var rebuilt = IndexBuilder.AddApproximateSearch(path, new AnnBuildOptions(8));
        Assert.Equal((AnnFormat.Version, 2), (rebuilt.Ann!.Version, rebuilt.Ann.Generation));
        Assert.Equal(rebuilt.Ann.Files.Values.Order(), Directory.GetFiles(path, "ann*").Select(Path.GetFileName).Order());
        using var again = SparseIndex.Open(path, verifyChecksums: true);
        Assert.True(again.HasAnn);
        var q = SearchQuery.Create(again, collection.Queries[0]);
        Assert.Equal(new IndexSearcher(again).Search(q, collection.K), new IndexSearcher(again).Search(q, collection.K, new ApproximateSearch(ApproximateSearch.Everything)));
    }
}
