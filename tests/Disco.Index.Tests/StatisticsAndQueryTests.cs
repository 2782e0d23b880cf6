using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

public sealed class StatisticsAndQueryTests
{
    [Fact]
    public void Statistics_and_flops_match_a_direct_count_over_the_input()
    {
        var collection = new RandomCollection(seed: 21, maxDocs: 500, maxVocabulary: 40);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index")));
        var stats = IndexStatistics.Compute(index);
        var docs = collection.Documents;
        Assert.Equal(docs.Sum(d => d.Terms.Length) / (double)docs.Count, stats.MeanDocumentLength, 12);
        foreach (var term in collection.Vocabulary)
        {
            var df = docs.Count(d => d.Terms.Contains(term));
            Assert.Equal(df, df == 0 ? 0 : stats.PostingLengths[term]);
        }
        var queries = collection.Queries.Select(q => SearchQuery.Create(index, q)).ToList();
        // flops.py: sum over vocabulary terms of p_doc(t) * p_query(t).
        var expected = collection.Vocabulary.Sum(t =>
            docs.Count(d => d.Terms.Contains(t)) / (double)docs.Count
            * collection.Queries.Count(q => q.Terms.Contains(t)) / collection.Queries.Count);
        Assert.Equal(expected, IndexStatistics.Flops(index, queries), 12);
        var svg = stats.PostingLengthPlot();
        Assert.StartsWith("<svg", svg);
        Assert.Contains("<polyline", svg);
    }

    [Fact]
    public void Query_options_drop_small_weights_then_keep_the_largest_terms()
    {
        using var dir = new TempDirectory();
        using (var builder = new IndexBuilder(dir.File("index")))
        {
            builder.Add(new TermVector("d", ["a", "b", "c", "d", "e"], [1, 1, 1, 1, 1]));
            builder.Complete();
        }
        using var index = SparseIndex.Open(dir.File("index"));
        var vector = new TermVector("q", ["a", "b", "c", "d", "e", "zzz", "b"], [0.1f, 2f, 0.5f, 3f, 0.5f, 9f, 0.5f]);
        string[] Terms(QueryOptions o) => [.. SearchQuery.Create(index, vector, o).Terms.Select(index.Term)];
        Assert.Equal(["a", "b", "c", "d", "e"], Terms(new QueryOptions()));
        Assert.Equal(["b", "c", "d", "e"], Terms(new QueryOptions(MinWeight: 0.5f)));
        // Top 3 by weight: zzz (9, not in the index), d (3), b (2 + 0.5).
        Assert.Equal(["b", "d"], Terms(new QueryOptions(MaxTerms: 3)));
        Assert.Equal(2.5f, SearchQuery.Create(index, vector).Weights[1]);
    }
}
