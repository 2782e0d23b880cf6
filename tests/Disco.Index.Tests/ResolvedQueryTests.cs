using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// A query read with the index's term table (term ids resolved while parsing) prepares to exactly
/// the query its strings give (the string path is the oracle), under every pruning option.
/// </summary>
public sealed class ResolvedQueryTests
{
    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public void Resolved_queries_equal_the_string_path(int seed)
    {
        var collection = new RandomCollection(seed, maxDocs: 200, maxVocabulary: 40);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index")));
        var random = new Random(seed);
        // Ties in weight (so MaxTerms orders by term string), weights that pruning drops, unknown terms.
        var queries = collection.Queries.Select(q => q with
        {
            Weights = [.. q.Weights.Select(w => random.Next(4) switch { 0 => 1f, 1 => 0f, 2 => -w, _ => w })],
        }).ToList();
        var path = dir.File("q.jsonl");
        VectorFile.Write(path, queries);
        var resolved = VectorFile.Read(path, uniqueIds: true, index.Terms).ToList();
        QueryOptions[] options = [new(), new(MaxTerms: 1), new(MaxTerms: 3), new(MinWeight: 1f), new(MaxTerms: 2, MinWeight: 0.5f)];
        for (var i = 0; i < queries.Count; i++)
        {
            Assert.NotNull(resolved[i].TermIds);
            foreach (var o in options)
            {
                var expected = SearchQuery.Create(index, queries[i], o);
                var actual = SearchQuery.Create(index, resolved[i], o);
                Assert.Equal(expected.Id, actual.Id);
                Assert.Equal(expected.Terms, actual.Terms);
                Assert.Equal(expected.Weights, actual.Weights);
            }
        }
    }
}
