using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// The block-max section and its search (docs/index-format.md, "Block-max section"): exact
/// block-max search against brute force lives with the other exact algorithms (SearchOracleTests,
/// ExactRankingTests, DocumentOrderTests, StaticPruningTests build the section); here approximate
/// block-max search, the section's life cycle and its refusals.
/// </summary>
public sealed class BlockMaxTests
{
    [Fact]
    public void With_every_block_in_the_budget_approximate_block_max_equals_exact_and_scores_are_always_exact()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var collection = new RandomCollection(seed);
            using var dir = new TempDirectory();
            var order = seed % 2 == 0 ? DocumentOrder.Clustered : DocumentOrder.Input;
            var impacts = (ImpactEncoding)(seed % 3);
            using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions(impacts, 1024, 4 + (seed % 5)) { Order = order, BlockMax = new BlockMaxBuildOptions(seed % 4) }));
            var searcher = new IndexSearcher(index);
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var exact = searcher.Search(query, collection.K);
                Assert.Equal(exact, searcher.Search(query, collection.K, new ApproximateSearch(Blocks: ApproximateSearch.Everything)));
                // A small budget may miss documents, never misreport one: each score is the document's exact score.
                var all = searcher.Search(query, index.DocumentCount).ToDictionary(h => h.Doc, h => h.Score);
                foreach (var hit in searcher.Search(query, collection.K, new ApproximateSearch(Blocks: 1 + (seed % 3))))
                    Assert.Equal(all[hit.Doc], hit.Score);
            }
        }
    }

    [Fact]
    public void Exact_block_max_equals_term_at_a_time_on_a_reordered_clustered_collection_at_every_depth()
    {
        var collection = new ClusteredTestCollection(seed: 21, documents: 6000, topics: 20, queries: 40);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions() }));
        var searcher = new IndexSearcher(index);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        foreach (var k in new[] { 1, 10, 100, 1000 })
        {
            var expected = searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1);
            var actual = searcher.SearchBatch(queries, k, SearchAlgorithm.BlockMax, threads: 2);
            for (var i = 0; i < queries.Count; i++)
                Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void Exact_block_max_that_hands_a_query_over_to_term_at_a_time_and_one_that_does_not_both_equal_term_at_a_time()
    {
        var collection = new ClusteredTestCollection(seed: 23, documents: 6000, topics: 20, queries: 40);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions() }));
        var searcher = new IndexSearcher(index);
        var scratch = new SearchScratch(index, IndexSearcher.DefaultRangeSize);
        var (handedOver, kept) = (0, 0);
        foreach (var k in new[] { 1, 10, 100 })
        {
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var expected = searcher.Search(query, k, SearchAlgorithm.TermAtATime);
                // Never handing over: block-max's own results.
                Assert.True(BlockMaxSearch.Exact(query, scratch, index.BlockMax!, k));
                Assert.Equal(expected, scratch.Queue.ToSortedArray());
                // Handing over whenever a block is left after the first ones: term-at-a-time finishes on the same scratch.
                var left = BlockMaxSearch.BlocksLeft(query, scratch, index.BlockMax!, k);
                Assert.Equal(left == 0, BlockMaxSearch.Exact(query, scratch, index.BlockMax!, k, handOverFraction: 0));
                if (left > 0)
                {
                    TermAtATime.Run(query, scratch, index, k);
                    handedOver++;
                }
                else
                {
                    kept++;
                }
                Assert.Equal(expected, scratch.Queue.ToSortedArray());
                // And through the searcher, whose auto decides with the measured fraction.
                Assert.Equal(expected, searcher.Search(query, k, SearchAlgorithm.Auto));
            }
        }
        Assert.True(handedOver > 0 && kept > 0, $"{handedOver} queries handed over, {kept} kept");
    }

    [Fact]
    public void Recall_at_10_at_the_default_block_budget_is_within_the_documented_bound_on_clustered_data()
    {
        // Blocks of 8 documents, so that the default budget (128 blocks) is a small share of the collection (1024 of 30,000 documents).
        var collection = new ClusteredTestCollection(seed: 11, documents: 30_000, topics: 60, queries: 100);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions(3) }));
        Assert.False(index.HasAnn);
        var searcher = new IndexSearcher(index);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        var exact = searcher.SearchBatch(queries, 10, threads: 1);
        // The index has only the block-max section: plain approximate search uses it, at its default budget.
        var approximate = searcher.SearchBatch(queries, 10, new ApproximateSearch(), threads: 2);
        var found = queries.Select((_, i) => approximate[i].Count(h => exact[i].Any(e => e.Doc == h.Doc))).Sum();
        var recall = (double)found / exact.Sum(e => e.Length);
        Assert.True(recall >= ApproximateSearch.DocumentedRecall, $"recall@10 {recall:F4}");
        // A budget of one block per query finds less: the budget is what trades recall for time.
        var one = searcher.SearchBatch(queries, 10, new ApproximateSearch(Blocks: 1), threads: 2);
        Assert.True(queries.Select((_, i) => one[i].Count(h => exact[i].Any(e => e.Doc == h.Doc))).Sum() < found);
    }

    [Fact]
    public void The_section_added_to_an_existing_index_replaces_the_previous_one_and_searches_alike()
    {
        var collection = new RandomCollection(seed: 9, maxDocs: 800, maxVocabulary: 60);
        using var dir = new TempDirectory();
        var built = TestIndex.Build(dir.File("built"), collection.Documents, new IndexBuildOptions { BlockMax = new BlockMaxBuildOptions(3) });
        var added = TestIndex.Build(dir.File("added"), collection.Documents);
        using (var plain = SparseIndex.Open(added))
        {
            Assert.False(plain.HasBlockMax);
            var e = Assert.Throws<DiscoException>(() => new IndexSearcher(plain).Search(SearchQuery.Create(plain, collection.Queries[1]), 10, SearchAlgorithm.BlockMax));
            Assert.Contains("disco index blockmax", e.Message);
        }
        var first = IndexBuilder.AddBlockMax(added, new BlockMaxBuildOptions(5));
        var second = IndexBuilder.AddBlockMax(added, new BlockMaxBuildOptions(3));
        Assert.Equal((1, 2), (first.BlockMax!.Generation, second.BlockMax!.Generation));
        Assert.Equal(second.BlockMax.Files.Values.Order(), Directory.GetFiles(added, "bmax*").Select(Path.GetFileName).Order());
        using var a = SparseIndex.Open(built, verifyChecksums: true);
        using var b = SparseIndex.Open(added, verifyChecksums: true);
        foreach (var vector in collection.Queries)
        {
            var qa = SearchQuery.Create(a, vector);
            var qb = SearchQuery.Create(b, vector);
            Assert.Equal(
                new IndexSearcher(a).Search(qa, 10, new ApproximateSearch(Blocks: 3)).Select(h => (a.DocumentId(h.Doc), h.Score)),
                new IndexSearcher(b).Search(qb, 10, new ApproximateSearch(Blocks: 3)).Select(h => (b.DocumentId(h.Doc), h.Score)));
        }
    }

    [Fact]
    public void A_damaged_section_file_is_refused_by_the_first_search_that_reads_it_and_a_truncated_one_when_the_index_opens()
    {
        var collection = new RandomCollection(seed: 4, maxDocs: 300);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { BlockMax = new BlockMaxBuildOptions(2) });
        var postings = Directory.GetFiles(path, "bmax*.postings.bin").Single();
        var bytes = File.ReadAllBytes(postings);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(postings, bytes);
        using (var index = SparseIndex.Open(path))
        {
            var all = SearchQuery.Create(index, new TermVector("all", collection.Vocabulary, [.. collection.Vocabulary.Select(_ => 1f)]));
            var e = Assert.Throws<DiscoException>(() => new IndexSearcher(index).Search(all, 1000, SearchAlgorithm.BlockMax));
            Assert.StartsWith($"{postings}: bytes 0..", e.Message);
            Assert.EndsWith("the file is corrupted, run `disco index blockmax` again", e.Message);
        }
        Assert.Contains("checksum", Assert.Throws<DiscoException>(() => SparseIndex.Open(path, verifyChecksums: true)).Message);
        File.WriteAllBytes(postings, bytes[..^7]);
        Assert.Contains("truncated", Assert.Throws<DiscoException>(() => SparseIndex.Open(path)).Message);
    }

    [Fact]
    public void Only_terms_without_a_dense_row_list_their_entries_and_both_kinds_search_exactly()
    {
        // Blocks of 8 documents: terms of a topic reach 1/32 of the blocks (a dense row), background terms often do not.
        var collection = new ClusteredTestCollection(seed: 12, documents: 3000, topics: 20, queries: 40);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions(3) }), verifyChecksums: true);
        var section = index.Metadata.BlockMax!;
        Assert.InRange(section.RareEntries, 1, section.Entries - 1);
        Assert.InRange(section.DenseRows, 1, index.TermCount - 1);
        var searcher = new IndexSearcher(index);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        foreach (var k in new[] { 1, 10, 100 })
            Assert.Equal(searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1), searcher.SearchBatch(queries, k, SearchAlgorithm.BlockMax, threads: 1));
    }

    [Theory]
    [InlineData("counts", "dense row 0 ", true)]
    [InlineData("groups", "dense row 0 has an invalid offset for group 0", true)]
    [InlineData("offsets", "has an invalid extent", true)]
    [InlineData("counts", "dense row 0 ", false)]
    [InlineData("groups", "dense row 0 has an invalid offset for group 0", false)]
    [InlineData("offsets", "has an invalid extent", false)]
    public void A_section_whose_locating_structures_disagree_with_the_postings_is_refused_even_with_matching_checksums(string part, string message, bool verify)
    {
        var collection = new ClusteredTestCollection(seed: 12, documents: 3000, topics: 20, queries: 4);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions(3) });
        var file = Directory.GetFiles(path, $"bmax*.{part}.bin").Single();
        var bytes = File.ReadAllBytes(file);
        const int header = 16;
        switch (part)
        {
            case "counts":
                bytes[Array.FindIndex(bytes, header, b => b != 0)]++;
                break;
            case "groups":
                bytes[header] += 5;
                break;
            default:
                // The second rare entry's offset, one byte on: not a whole number of postings.
                bytes[header + 4]++;
                break;
        }
        SectionIntegrityTests.WriteResealed(path, "blockMax", Path.GetFileName(file), bytes);
        DiscoException e;
        if (verify)
        {
            e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path, verifyChecksums: true));
        }
        else
        {
            // Checked the first time a search has the term: the index opens.
            using var index = SparseIndex.Open(path);
            var all = SearchQuery.Create(index, new TermVector("all", [.. Enumerable.Range(0, index.TermCount).Select(index.Term)], [.. Enumerable.Range(0, index.TermCount).Select(_ => 1f)]));
            e = Assert.Throws<DiscoException>(() => new IndexSearcher(index).Search(all, 10, SearchAlgorithm.BlockMax));
        }
        Assert.Contains(message, e.Message);
        Assert.Contains("disco index blockmax", e.Message);
    }

    [Fact]
    public void A_section_of_another_version_leaves_other_search_working_refuses_block_max_and_is_replaced_by_a_rebuild()
    {
        var collection = new RandomCollection(seed: 5, maxDocs: 400);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { BlockMax = new BlockMaxBuildOptions(4) });
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        meta["blockMax"]!["version"] = BlockMaxFormat.Version + 1;
        IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
        using (var index = SparseIndex.Open(path, verifyChecksums: true))
        {
            Assert.False(index.HasBlockMax);
            var searcher = new IndexSearcher(index);
            var query = SearchQuery.Create(index, collection.Queries[0]);
            var expected = BruteForceOracle.TopK(collection.Documents, query, index, collection.K, ImpactEncoding.Float32);
            Assert.Equal(expected, searcher.Search(query, collection.K).Select(h => (index.DocumentId(h.Doc), h.Score)));
            foreach (var attempt in new Action[] { () => searcher.Search(query, 10, SearchAlgorithm.BlockMax), () => searcher.Search(query, 10, new ApproximateSearch(Blocks: 4)) })
            {
                var e = Assert.Throws<DiscoException>(attempt);
                Assert.Contains($"version {BlockMaxFormat.Version + 1} is not supported", e.Message);
            }
        }
        var rebuilt = IndexBuilder.AddBlockMax(path);
        Assert.Equal((BlockMaxFormat.Version, 2), (rebuilt.BlockMax!.Version, rebuilt.BlockMax.Generation));
        Assert.Equal(rebuilt.BlockMax.Files.Values.Order(), Directory.GetFiles(path, "bmax*").Select(Path.GetFileName).Order());
        using var again = SparseIndex.Open(path, verifyChecksums: true);
        Assert.True(again.HasBlockMax);
    }

    [Fact]
    public void The_default_algorithm_is_block_max_at_small_k_when_the_sections_blocks_hold_similar_documents_else_term_at_a_time()
    {
        var collection = new ClusteredTestCollection(seed: 6, documents: 4000, topics: 20, queries: 2);
        using var dir = new TempDirectory();
        using var with = SparseIndex.Open(TestIndex.Build(dir.File("with"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions() }));
        using var without = SparseIndex.Open(TestIndex.Build(dir.File("without"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered }));
        Assert.InRange(with.Metadata.BlockMax!.Clustering!.Value, 0, IndexSearcher.BlockMaxClustering);
        // Unrelated documents in a block: about as many entries as a random order gives, loose bounds, so only a named BlockMax uses the section.
        var random = new RandomCollection(seed: 6, maxDocs: 3000);
        foreach (var order in new[] { DocumentOrder.Input, DocumentOrder.Clustered })
        {
            using var loose = SparseIndex.Open(TestIndex.Build(dir.File($"loose-{order}"), random.Documents, new IndexBuildOptions { Order = order, BlockMax = new BlockMaxBuildOptions() }));
            Assert.InRange(loose.Metadata.BlockMax!.Clustering!.Value, IndexSearcher.BlockMaxClustering, 1.1);
            Assert.Equal(SearchAlgorithm.TermAtATime, new IndexSearcher(loose).Resolve(SearchAlgorithm.Auto, 10));
            Assert.Equal(SearchAlgorithm.BlockMax, new IndexSearcher(loose).Resolve(SearchAlgorithm.BlockMax, 10));
        }
        // A section without the measure (built before it was recorded) is not used by default.
        var unmeasured = new BlockMaxMetadata { Clustering = null };
        Assert.False(IndexSearcher.AutoUsesBlockMax(unmeasured));
        Assert.Equal(SearchAlgorithm.Auto, IndexSearcher.DefaultAlgorithm);
        Assert.Equal(SearchAlgorithm.BlockMax, new IndexSearcher(with).Resolve(SearchAlgorithm.Auto, IndexSearcher.BlockMaxDepth));
        Assert.Equal(SearchAlgorithm.TermAtATime, new IndexSearcher(with).Resolve(SearchAlgorithm.Auto, IndexSearcher.BlockMaxDepth + 1));
        Assert.Equal(SearchAlgorithm.TermAtATime, new IndexSearcher(without).Resolve(SearchAlgorithm.Auto, 10));
        Assert.Equal(SearchAlgorithm.MaxScore, new IndexSearcher(with).Resolve(SearchAlgorithm.MaxScore, 10));
    }

    [Fact]
    public void Codes_round_block_maxima_up_so_bounds_never_undercut_a_score()
    {
        var random = new Random(3);
        for (var i = 0; i < 100_000; i++)
        {
            var termMax = (float)(random.NextDouble() * 30) + 1e-6f;
            var scale = termMax / 255f;
            while (255 * (double)scale < termMax)
                scale = MathF.BitIncrement(scale);
            var max = (float)(random.NextDouble() * termMax);
            var code = BlockMaxBuilder.Code(max, scale);
            Assert.True(code >= 1 && code * (double)scale >= max, $"max {max:R} scale {scale:R} code {code}");
            Assert.True(code == 1 || (code - 1) * (double)scale < max, $"code {code} is not the smallest for {max:R}");
        }
    }

    /// <summary>The section's files by part, and their total size.</summary>
    private static long SectionFileBytes(IndexMetadata meta) => meta.BlockMax!.Files.Values.Sum(name => meta.Files[name].Bytes);

    [Fact]
    public void A_size_limit_drops_the_dense_rows_of_the_terms_in_fewest_blocks_and_search_stays_exact()
    {
        // Topic terms reach many blocks (dense rows), background terms fewer: the limit has rows to drop.
        var collection = new ClusteredTestCollection(seed: 12, documents: 3000, topics: 20, queries: 40);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered });
        var full = IndexBuilder.AddBlockMax(path, new BlockMaxBuildOptions(3));
        var unbounded = SectionFileBytes(full);
        // The size is known before anything is written: the plan's arithmetic against the files written.
        Assert.Equal(unbounded, BlockMaxBuilder.SectionBytes(full.Terms, full.BlockMax!.Blocks, full.BlockMax.PostingBytes, full.BlockMax.RareEntries, full.BlockMax.DenseRows));
        var rowsBefore = full.BlockMax.DenseRows;
        var limit = unbounded - (unbounded / 20);
        var bounded = IndexBuilder.AddBlockMax(path, new BlockMaxBuildOptions(3) { MaxBytes = limit });
        Assert.InRange(SectionFileBytes(bounded), 1, limit);
        Assert.InRange(bounded.BlockMax!.DenseRows, 1, rowsBefore - 1);
        using var index = SparseIndex.Open(path, verifyChecksums: true);
        var bm = index.BlockMax!;
        // Rows kept are those of the terms in most blocks: every term that lost its row has fewer entries than every term that kept one.
        var dense = Enumerable.Range(0, index.TermCount).Where(t => bm.Term(t).DenseRow >= 0).Select(t => bm.Term(t).Entries).ToList();
        var rare = Enumerable.Range(0, index.TermCount).Where(t => bm.Term(t).DenseRow < 0).Select(t => bm.Term(t).Entries).ToList();
        Assert.True(rare.Max() <= dense.Min(), $"rare up to {rare.Max()} entries, dense from {dense.Min()}");
        var searcher = new IndexSearcher(index);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        foreach (var k in new[] { 1, 10, 100 })
            Assert.Equal(searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1), searcher.SearchBatch(queries, k, SearchAlgorithm.BlockMax, threads: 1));
    }

    /// <summary>
    /// Without a limit the planning pass runs only when the disk may not hold the section's upper
    /// bound; the rule it applies is the one the writer applies term by term, so the section is the
    /// same byte for byte either way, and a disk smaller than the exact size is still refused.
    /// </summary>
    [Fact]
    public void Without_a_limit_the_section_is_the_same_with_or_without_the_planning_pass_and_a_too_small_disk_is_refused()
    {
        var plannedSeeds = 0;
        for (var seed = 0; seed < 12; seed++)
        {
            using var dir = new TempDirectory();
            // Uniform terms (all rows or none) and topical ones (from every block to a few): terms on both sides of the rule.
            var path = seed % 2 == 0
                ? new RandomCollection(seed, maxDocs: 600, maxVocabulary: 60).Build(dir.File("index"), blockMax: false)
                : TestIndex.Build(dir.File("index"), new ClusteredTestCollection(seed, documents: 800, topics: 10, vocabulary: 600, queries: 1).Documents, new IndexBuildOptions { Order = seed % 4 == 1 ? DocumentOrder.Clustered : DocumentOrder.Input });
            var options = new BlockMaxBuildOptions(seed % 4) { DenseDivisor = new[] { 1, 4, 32 }[seed % 3] };
            var unplanned = BlockMaxBuilder.Add(path, options, _ => long.MaxValue);
            var section = unplanned.BlockMax!;
            var exact = SectionFileBytes(unplanned);
            long upper;
            using (var index = SparseIndex.Open(path))
            {
                upper = BlockMaxBuilder.UpperBytes(index, section, options.DenseDivisor);
                Assert.InRange(exact, 1, upper);
                // The free space holds the bound: no planning pass; else the pass, with the writer's choices.
                Assert.Null(BlockMaxBuilder.DenseRows(index, section, options, upper));
                Assert.Null(BlockMaxBuilder.DenseRows(index, section, options, null));
                // The bound is exact when every term fills its blocks or the rule is moot; else a free space of the exact size runs the pass.
                if (exact < upper)
                {
                    var planned = BlockMaxBuilder.DenseRows(index, section, options, exact);
                    Assert.NotNull(planned);
                    Assert.Equal(Enumerable.Range(0, index.TermCount).Select(t => index.BlockMax!.Term(t).DenseRow >= 0), planned);
                    plannedSeeds++;
                }
            }
            var before = SectionContents(path, unplanned);
            // Free space between the exact size and the bound: planned, written, the same bytes.
            var fits = BlockMaxBuilder.Add(path, options, _ => exact);
            Assert.Equal(before, SectionContents(path, fits));
            Assert.Equal(section.DenseRows, fits.BlockMax!.DenseRows);
            // One byte less than the exact size: refused with both sizes, the index left as it was.
            var files = Directory.GetFiles(path).Order().Select(f => (f, File.ReadAllBytes(f).Length)).ToList();
            var e = Assert.Throws<DiscoException>(() => BlockMaxBuilder.Add(path, options, _ => exact - 1));
            Assert.Contains("the block-max section needs ", e.Message);
            Assert.Contains(" free; free space, or bound the section with --block-max-limit", e.Message);
            Assert.Equal(files, Directory.GetFiles(path).Order().Select(f => (f, File.ReadAllBytes(f).Length)).ToList());
            Assert.Equal(before, SectionContents(path, IndexMetadata.Read(path)));
            // Under a limit the pass always runs: a limit the section meets changes nothing.
            Assert.Equal(before, SectionContents(path, BlockMaxBuilder.Add(path, options with { MaxBytes = exact }, _ => long.MaxValue)));
        }
        Assert.InRange(plannedSeeds, 6, 12);
    }

    /// <summary>The contents of the section's files by part (names carry the generation).</summary>
    private static Dictionary<string, string> SectionContents(string directory, IndexMetadata meta) =>
        meta.BlockMax!.Files.ToDictionary(p => p.Key, p => Convert.ToHexString(File.ReadAllBytes(Path.Combine(directory, p.Value))));

    [Fact]
    public void A_limit_below_the_smallest_section_is_refused_with_its_size_and_leaves_the_index_as_it_was()
    {
        var collection = new ClusteredTestCollection(seed: 12, documents: 3000, topics: 20, queries: 4);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions(3) });
        var before = Directory.GetFiles(path).Order().Select(f => (f, File.ReadAllBytes(f).Length)).ToList();
        var meta = IndexMetadata.Read(path);
        // The postings alone take 5 bytes each: no section fits in fewer.
        var e = Assert.Throws<DiscoException>(() => IndexBuilder.AddBlockMax(path, new BlockMaxBuildOptions(3) { MaxBytes = meta.Postings * 5 }));
        Assert.Contains("the block-max section needs at least ", e.Message);
        Assert.Contains("over the limit of", e.Message);
        Assert.Contains("--block-max-limit", e.Message);
        Assert.Equal(before, Directory.GetFiles(path).Order().Select(f => (f, File.ReadAllBytes(f).Length)).ToList());
        // Sizes in the unit that suits them, the needed one rounded up: a small limit is not "0.00 GB".
        var small = Assert.Throws<DiscoException>(() => IndexBuilder.AddBlockMax(path, new BlockMaxBuildOptions(3) { MaxBytes = 10_000 }));
        Assert.DoesNotContain("0.00 GB", small.Message);
        Assert.Contains("over the limit of 10.00 KB;", small.Message);
        Assert.Equal(["1 bytes", "999 bytes", "1.00 KB", "1.01 KB", "2.50 MB", "30.00 GB", "1234.57 GB"], new long[] { 1, 999, 1000, 1001, 2_500_000, 30_000_000_000, 1_234_567_000_001 }.Select(BlockMaxBuilder.Size));
        // At build time too, before anything is written.
        var fresh = dir.File("fresh");
        Assert.Throws<DiscoException>(() => TestIndex.Build(fresh, collection.Documents, new IndexBuildOptions { BlockMax = new BlockMaxBuildOptions(3) { MaxBytes = 1000 } }));
        Assert.False(Directory.Exists(fresh));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(1000)]
    public void The_smallest_section_reported_under_a_limit_is_the_smallest_of_every_choice_of_rows_and_is_built(int divisor)
    {
        // 500 documents in blocks of 8 (63 blocks: a row takes 64 + 64 + 4 bytes, a listed entry 9,
        // so a row is smaller from 15 blocks on), 14 terms from a few blocks to most, and one in every document.
        var random = new Random(31);
        var documents = Enumerable.Range(0, 500).Select(d =>
        {
            var terms = Enumerable.Range(0, 14).Where(j => random.NextDouble() < 0.01 * Math.Pow(1.35, j)).Select(j => $"t{j}").Append("all").ToArray();
            return new TermVector($"d{d}", terms, [.. terms.Select(_ => 0.1f + (float)random.NextDouble())]);
        }).ToList();
        // An independent count of each term's entries: the distinct blocks (document / 8, input order) of the documents that have it.
        var vocabulary = documents.SelectMany(d => d.Terms).Distinct().ToList();
        var entries = vocabulary.Select(term => documents.Select((d, i) => (d, i)).Where(x => x.d.Terms.Contains(term)).Select(x => x.i >> 3).Distinct().Count()).ToArray();
        var postingBytes = documents.Sum(d => d.Terms.Length) * 5L;
        const int blocks = 63;
        // Brute force over every choice of rows (2^15).
        var oracle = long.MaxValue;
        for (var rows = 0; rows < 1 << entries.Length; rows++)
        {
            var rare = Enumerable.Range(0, entries.Length).Where(t => (rows & (1 << t)) == 0).Sum(t => (long)entries[t]);
            oracle = Math.Min(oracle, BlockMaxBuilder.SectionBytes(vocabulary.Count, blocks, postingBytes, rare, int.PopCount(rows)));
        }
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), documents);
        var options = new BlockMaxBuildOptions(3) { DenseDivisor = divisor };
        // The rule's choice, unbounded, is the smallest only where the divisor puts the cut near the break-even (here 6 and 8).
        Assert.True(SectionFileBytes(IndexBuilder.AddBlockMax(path, options)) >= oracle);
        // The smallest is reached: a build under that limit succeeds, and its files take exactly that.
        var smallest = IndexBuilder.AddBlockMax(path, options with { MaxBytes = oracle });
        Assert.Equal(blocks, smallest.BlockMax!.Blocks);
        Assert.Equal(oracle, SectionFileBytes(smallest));
        // And nothing smaller: one byte less is refused, with that size.
        var e = Assert.Throws<DiscoException>(() => IndexBuilder.AddBlockMax(path, options with { MaxBytes = oracle - 1 }));
        Assert.True(e.Message.Contains($"needs at least {oracle} bytes (", StringComparison.Ordinal) || e.Message.Contains($"needs at least {BlockMaxBuilder.Size(oracle)} (", StringComparison.Ordinal), e.Message);
        using var index = SparseIndex.Open(path, verifyChecksums: true);
        var searcher = new IndexSearcher(index);
        var queries = Enumerable.Range(0, 10).Select(q => SearchQuery.Create(index, new TermVector($"q{q}", [.. vocabulary.Where((_, i) => (i + q) % 3 == 0)], [.. vocabulary.Where((_, i) => (i + q) % 3 == 0).Select((_, i) => 1f + i)]))).ToList();
        Assert.Equal(searcher.SearchBatch(queries, 10, SearchAlgorithm.TermAtATime, threads: 1), searcher.SearchBatch(queries, 10, SearchAlgorithm.BlockMax, threads: 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(1000)]
    public void Any_dense_row_threshold_searches_exactly(int divisor)
    {
        var collection = new ClusteredTestCollection(seed: 13, documents: 2000, topics: 10, queries: 30);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions(3) { DenseDivisor = divisor } }));
        var section = index.Metadata.BlockMax!;
        for (var t = 0; t < index.TermCount; t++)
        {
            var e = index.BlockMax!.Term(t);
            Assert.Equal(e.Entries > 0 && (long)e.Entries * divisor >= section.Blocks, e.DenseRow >= 0);
        }
        var searcher = new IndexSearcher(index);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        Assert.Equal(searcher.SearchBatch(queries, 10, SearchAlgorithm.TermAtATime, threads: 1), searcher.SearchBatch(queries, 10, SearchAlgorithm.BlockMax, threads: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexBuilder.AddBlockMax(index.Directory, new BlockMaxBuildOptions { DenseDivisor = 0 }));
    }
}
