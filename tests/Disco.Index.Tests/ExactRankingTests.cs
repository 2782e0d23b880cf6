using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// The ranking contract of exact search (docs/index-format.md, "Scoring contract"): every exact
/// algorithm, on input-ordered and reordered indexes, returns exactly the brute-force dot-product
/// ranking: score descending, ties by internal document number ascending. Weights are quantized so
/// that many scores tie, also across the k-th place; k runs from 1 to more than the matches, and
/// small document ranges make the range algorithms meet a partly filled top-k queue, as issue 16's
/// k=1000 MaxScore bug needed (a range's histogram cut-off ignored the scores already queued).
/// </summary>
public sealed class ExactRankingTests
{
    public static TheoryData<bool, ImpactEncoding> Cases => new()
    {
        { false, ImpactEncoding.Float32 },
        { false, ImpactEncoding.UInt8 },
        { true, ImpactEncoding.Float32 },
        { true, ImpactEncoding.UInt16 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_exact_algorithm_returns_the_brute_force_ranking_with_ties_by_internal_document(bool clustered, ImpactEncoding impacts)
    {
        var (documents, queries) = clustered ? Clustered(seed: 11) : Independent(seed: 12);
        using var dir = new TempDirectory();
        var tiesAtTheCut = 0;
        var scoresByOrder = new Dictionary<DocumentOrder, List<float[]>>();
        foreach (var order in new[] { DocumentOrder.Input, DocumentOrder.Clustered })
        {
            // Block-max search: blocks of 4 documents on one index, of 32 on the other.
            var options = new IndexBuildOptions(impacts, 4096, RangeBits: order == DocumentOrder.Input ? 7 : 9) { Order = order, BlockMax = new BlockMaxBuildOptions(order == DocumentOrder.Input ? 2 : 5) };
            using var index = SparseIndex.Open(TestIndex.Build(dir.File($"index-{order}"), documents, options));
            var oracle = new BruteForceOracle(DocumentOrderTests.InIndexOrder(index, documents), impacts);
            var scores = scoresByOrder[order] = [];
            // MaxScore's own ranges: short ones on one index, longer than the index's on the other.
            var rangeSize = order == DocumentOrder.Input ? 64 : 1024;
            var searcher = new IndexSearcher(index, rangeSize);
            foreach (var vector in queries)
            {
                var query = SearchQuery.Create(index, vector);
                var ranking = oracle.Rank(query, index);
                foreach (var k in new[] { 1, 10, 1000, ranking.Count + 1, index.DocumentCount + 10 })
                {
                    var expected = ranking.Take(k).ToList();
                    if (k < ranking.Count && ranking[k - 1].Score == ranking[k].Score)
                        tiesAtTheCut++;
                    foreach (var algorithm in ExactAlgorithms.Of(index))
                    {
                        var actual = searcher.Search(query, k, algorithm).Select(h => (index.DocumentId(h.Doc), h.Score)).ToList();
                        if (!expected.SequenceEqual(actual))
                            Assert.Fail($"{order} order, {impacts}, {algorithm}, range {rangeSize}, query {vector.Id}, k={k}: first difference at rank {FirstDifference(expected, actual)} of {expected.Count} (got {actual.Count})");
                    }
                    scores.Add([.. expected.Select(h => h.Score)]);
                }
            }
        }
        // Ties must really cross the k-th place, or the tie-break would go untested.
        Assert.True(tiesAtTheCut >= 10, $"only {tiesAtTheCut} ties at the k-th place");
        // Reordering renumbers the documents, not their scores: the same scores in the same places.
        Assert.Equal(scoresByOrder[DocumentOrder.Input], scoresByOrder[DocumentOrder.Clustered]);
    }

    private static int FirstDifference(List<(string, float)> expected, List<(string, float)> actual)
    {
        var i = 0;
        while (i < expected.Count && i < actual.Count && expected[i] == actual[i])
            i++;
        return i;
    }

    /// <summary>Documents from one topic-clustered generator, weights in steps of 0.25.</summary>
    private static (IReadOnlyList<TermVector>, IReadOnlyList<TermVector>) Clustered(int seed)
    {
        var collection = new ClusteredTestCollection(seed, documents: 4000, topics: 12, vocabulary: 500, queries: 12, quantum: 0.25f);
        return (collection.Documents, collection.Queries);
    }

    /// <summary>I.i.d. documents over 40 terms, weights of four values, so thousands of documents match a query.</summary>
    private static (IReadOnlyList<TermVector>, IReadOnlyList<TermVector>) Independent(int seed)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, 40).Select(i => $"t{i}").ToArray();
        var documents = new List<TermVector>();
        for (var d = 0; d < 4000; d++)
        {
            var density = 0.02 + (random.NextDouble() * 0.2);
            var terms = vocabulary.Where(_ => random.NextDouble() < density).ToArray();
            documents.Add(new TermVector($"d{d}", terms, [.. terms.Select(_ => random.Next(1, 5) * 0.25f)]));
        }
        var queries = new List<TermVector>();
        for (var q = 0; q < 12; q++)
        {
            var terms = vocabulary.OrderBy(_ => random.Next()).Take(random.Next(1, 9)).ToArray();
            queries.Add(new TermVector($"q{q}", terms, [.. terms.Select(_ => random.Next(1, 4) * 0.5f)]));
        }
        return (documents, queries);
    }
}
