using Disco.TestSupport;

namespace Disco.Index.Tests;

public sealed class SearchOracleTests
{
    public static TheoryData<ImpactEncoding> Encodings => [ImpactEncoding.Float32, ImpactEncoding.UInt16, ImpactEncoding.UInt8];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_algorithm_returns_the_brute_force_top_k_on_random_collections(ImpactEncoding impacts)
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var collection = new RandomCollection(seed);
            using var dir = new TempDirectory();
            // Small document ranges (16 to 256 documents) make blocks end and the term-at-a-time
            // scan cross many range borders; small MaxScore ranges do the same for MaxScore.
            using var index = SparseIndex.Open(collection.Build(dir.File("index"), impacts, rangeBits: 4 + (seed % 5)));
            var searcher = new IndexSearcher(index, rangeSize: 16 << (seed % 4));
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var expected = BruteForceOracle.TopK(collection.Documents, query, index, collection.K, impacts);
                foreach (var algorithm in ExactAlgorithms.Of(index))
                {
                    var actual = searcher.Search(query, collection.K, algorithm).Select(h => (index.DocumentId(h.Doc), h.Score)).ToList();
                    Assert.True(expected.SequenceEqual(actual), $"seed {seed}, {impacts}, {algorithm}, query {vector.Id} (k={collection.K}): expected [{string.Join(", ", expected)}] got [{string.Join(", ", actual)}]");
                }
            }
        }
    }

    [Fact]
    public void Batch_search_on_several_threads_equals_single_query_search()
    {
        var collection = new RandomCollection(seed: 7, maxDocs: 2000, maxVocabulary: 80);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index"), rangeBits: 8));
        var searcher = new IndexSearcher(index, rangeSize: 64);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        foreach (var algorithm in ExactAlgorithms.Of(index))
        {
            var batch = searcher.SearchBatch(queries, 20, algorithm, threads: 3);
            for (var i = 0; i < queries.Count; i++)
                Assert.Equal(BruteForceOracle.TopK(collection.Documents, queries[i], index, 20, ImpactEncoding.Float32), batch[i].Select(h => (index.DocumentId(h.Doc), h.Score)).ToList());
        }
    }

    [Fact]
    public void Default_ranges_of_65536_documents_are_crossed_exactly()
    {
        // 140,000 short documents over 12 terms: every term's postings span three 64K ranges, and
        // the last range is partial, as in a real collection.
        var random = new Random(17);
        var vocabulary = Enumerable.Range(0, 12).Select(i => $"t{i}").ToArray();
        var documents = new List<Core.Vectors.TermVector>();
        for (var d = 0; d < 140_000; d++)
        {
            var terms = vocabulary.Where(_ => random.Next(4) == 0).ToArray();
            documents.Add(new Core.Vectors.TermVector($"d{d}", terms, [.. terms.Select(_ => random.Next(1, 9) * 0.25f)]));
        }
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), documents), verifyChecksums: true);
        var searcher = new IndexSearcher(index);
        foreach (var n in new[] { 1, 3, 12 })
        {
            var vector = new Core.Vectors.TermVector("q", vocabulary[..n], [.. Enumerable.Range(1, n).Select(i => i * 0.5f)]);
            var query = SearchQuery.Create(index, vector);
            var expected = BruteForceOracle.TopK(documents, query, index, 100, ImpactEncoding.Float32);
            foreach (var algorithm in ExactAlgorithms.Of(index))
                Assert.Equal(expected, searcher.Search(query, 100, algorithm).Select(h => (index.DocumentId(h.Doc), h.Score)).ToList());
        }
    }

    [Fact]
    public void An_empty_query_or_k_of_zero_returns_nothing()
    {
        var collection = new RandomCollection(seed: 3);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index")));
        var searcher = new IndexSearcher(index);
        var empty = SearchQuery.Create(index, new Core.Vectors.TermVector("q", [], []));
        var some = SearchQuery.Create(index, new Core.Vectors.TermVector("q", [.. collection.Vocabulary.Take(3)], [1f, 1f, 1f]));
        foreach (var algorithm in ExactAlgorithms.Of(index))
        {
            Assert.Empty(searcher.Search(empty, 10, algorithm));
            Assert.Empty(searcher.Search(some, 0, algorithm));
        }
    }
}
