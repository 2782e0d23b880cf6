using Disco.TestSupport;

namespace Disco.Index.Tests;

public sealed class SearchOracleTests
{
    public static TheoryData<ImpactEncoding> Encodings => [ImpactEncoding.Exact, ImpactEncoding.Bits16, ImpactEncoding.Bits8];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_algorithm_returns_the_brute_force_top_k_on_random_collections(ImpactEncoding impacts)
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var collection = new RandomCollection(seed);
            using var dir = new TempDirectory();
            using var index = SparseIndex.Open(collection.Build(dir.File("index"), impacts));
            // A small range size makes the term-at-a-time algorithm cross many range borders.
            var searcher = new IndexSearcher(index, rangeSize: 16 << (seed % 4));
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var expected = BruteForceOracle.TopK(collection.Documents, query, index, collection.K, impacts);
                foreach (var algorithm in Enum.GetValues<SearchAlgorithm>())
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
        using var index = SparseIndex.Open(collection.Build(dir.File("index")));
        var searcher = new IndexSearcher(index, rangeSize: 64);
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        foreach (var algorithm in Enum.GetValues<SearchAlgorithm>())
        {
            var batch = searcher.SearchBatch(queries, 20, algorithm, threads: 3);
            for (var i = 0; i < queries.Count; i++)
                Assert.Equal(BruteForceOracle.TopK(collection.Documents, queries[i], index, 20, ImpactEncoding.Exact), batch[i].Select(h => (index.DocumentId(h.Doc), h.Score)).ToList());
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
        foreach (var algorithm in Enum.GetValues<SearchAlgorithm>())
        {
            Assert.Empty(searcher.Search(empty, 10, algorithm));
            Assert.Empty(searcher.Search(some, 0, algorithm));
        }
    }
}
