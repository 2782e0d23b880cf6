using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// The id path of query preparation (<see cref="VocabularyMap"/>) against the string path it
/// replaces, and single-posting lookups against the input vectors.
/// </summary>
public sealed class VocabularyMapAndLookupTests
{
    [Fact]
    public void Queries_from_term_ids_equal_queries_from_term_strings()
    {
        for (var seed = 1; seed <= 30; seed++)
        {
            var collection = new RandomCollection(seed);
            using var dir = new TempDirectory();
            using var index = SparseIndex.Open(collection.Build(dir.File("index")));
            var random = new Random(seed);
            // An encoder vocabulary: the index's terms, some unknown to the index, in shuffled order.
            var vocabulary = collection.Vocabulary.Concat(["unknown0", "unknown1", "zz"]).OrderBy(_ => random.Next()).ToArray();
            var map = new VocabularyMap(index, vocabulary);
            Assert.False(map.HasDuplicateStrings);
            for (var q = 0; q < 10; q++)
            {
                var ids = Enumerable.Range(0, vocabulary.Length).Where(_ => random.NextDouble() < 0.3).ToArray();
                // Small discrete weights make ties for MaxTerms; some weights are zero or negative.
                var weights = ids.Select(_ => random.Next(-1, 4) * 0.5f).ToArray();
                var vector = new SparseVector(ids, weights);
                var options = new QueryOptions(random.Next(3) == 0 ? null : random.Next(0, 6), random.Next(2) * 1f);
                var expected = SearchQuery.Create(index, TermVector.FromVector($"q{q}", vector, vocabulary), options);
                var actual = SearchQuery.Create(map, $"q{q}", vector, options);
                Assert.True(expected.Terms.SequenceEqual(actual.Terms) && expected.Weights.SequenceEqual(actual.Weights), $"seed {seed}, query {q}, {options}");
            }
        }
    }

    [Fact]
    public void A_vocabulary_with_repeated_strings_merges_them_as_the_string_path_does()
    {
        var collection = new RandomCollection(seed: 3);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index")));
        string[] vocabulary = [collection.Vocabulary[0], collection.Vocabulary[0], "other"];
        var map = new VocabularyMap(index, vocabulary);
        Assert.True(map.HasDuplicateStrings);
        var query = SearchQuery.Create(map, "q", new SparseVector([0, 1], [1f, 2f]));
        Assert.Equal([3f], query.Weights);
    }

    [Theory]
    [InlineData(ImpactEncoding.Float32)]
    [InlineData(ImpactEncoding.UInt8)]
    public void Looked_up_impacts_are_the_ones_search_adds_up(ImpactEncoding impacts)
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var collection = new RandomCollection(seed, maxDocs: 600);
            using var dir = new TempDirectory();
            using var index = SparseIndex.Open(collection.Build(dir.File("index"), impacts, rangeBits: 5));
            var searcher = new IndexSearcher(index);
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                var hits = searcher.Search(query, 1000);
                var looked = PostingLookup.Impacts(index, query, [.. hits.Select(h => h.Doc).Reverse()]);
                for (var i = 0; i < hits.Length; i++)
                {
                    var row = looked[hits.Length - 1 - i];
                    // Summed in canonical term order in float32, as every algorithm does.
                    var score = 0f;
                    for (var t = 0; t < query.Count; t++)
                        score += query.Weights[t] * row[t];
                    Assert.Equal(hits[i].Score, score);
                    var document = collection.Documents.Single(d => d.Id == index.DocumentId(hits[i].Doc));
                    for (var t = 0; t < query.Count; t++)
                        Assert.Equal(document.Terms.Contains(index.Term(query.Terms[t])), row[t] != 0);
                }
            }
        }
    }
}
