using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

public sealed class StaticPruningTests
{
    public static TheoryData<int?, int?, float?> Rules => new()
    {
        { 3, null, null },
        { null, 7, null },
        { null, null, 1.2f },
        { 4, 10, 0.8f },
        { 1, 1, null },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Search_over_a_pruned_index_equals_brute_force_over_the_pruned_vectors(int? documentTerms, int? listSize, float? minWeight)
    {
        var pruning = new StaticPruning(documentTerms, listSize, minWeight);
        foreach (var impacts in new[] { ImpactEncoding.Float32, ImpactEncoding.UInt8 })
        {
            for (var seed = 1; seed <= 15; seed++)
            {
                var collection = new RandomCollection(seed);
                var (pruned, removed) = PruneIndependently(collection.Documents, pruning);
                using var dir = new TempDirectory();
                using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions(impacts, 1024, 4 + (seed % 5)) { Pruning = pruning, BlockMax = new BlockMaxBuildOptions(seed % 3) }), verifyChecksums: true);
                Assert.Equal(pruned.Sum(d => d.Terms.Length), index.Metadata.Postings);
                var meta = index.Metadata.Pruning!;
                Assert.Equal((documentTerms, listSize, minWeight), (meta.DocumentTerms, meta.ListSize, meta.MinWeight));
                Assert.Equal(removed, (meta.RemovedByMinWeight, meta.RemovedByDocumentTerms, meta.RemovedByListSize));
                Assert.Equal(index.Metadata.Postings, meta.InputPostings - meta.RemovedByMinWeight - meta.RemovedByDocumentTerms - meta.RemovedByListSize);
                var searcher = new IndexSearcher(index, rangeSize: 32);
                foreach (var vector in collection.Queries)
                {
                    var query = SearchQuery.Create(index, vector);
                    var expected = BruteForceOracle.TopK(pruned, query, index, collection.K, impacts);
                    foreach (var algorithm in ExactAlgorithms.Of(index))
                    {
                        var actual = searcher.Search(query, collection.K, algorithm).Select(h => (index.DocumentId(h.Doc), h.Score)).ToList();
                        Assert.True(expected.SequenceEqual(actual), $"seed {seed}, {impacts}, {algorithm}, {pruning}, query {vector.Id}");
                    }
                }
            }
        }
    }

    [Fact]
    public void An_index_without_pruning_has_no_pruning_section()
    {
        var collection = new RandomCollection(5);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(collection.Build(dir.File("index")));
        Assert.Null(index.Metadata.Pruning);
    }

    [Fact]
    public void Invalid_rules_are_refused()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentOutOfRangeException>(() => new IndexBuilder(dir.File("a"), new IndexBuildOptions { Pruning = new StaticPruning(DocumentTerms: 0) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IndexBuilder(dir.File("b"), new IndexBuildOptions { Pruning = new StaticPruning(ListSize: 0) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IndexBuilder(dir.File("c"), new IndexBuildOptions { Pruning = new StaticPruning(MinWeight: float.NaN) }));
    }

    /// <summary>
    /// The documented rules applied to the input vectors, without the index: repeated terms add up;
    /// per document weights under the minimum go, then the N heaviest stay (ties: term, ordinal);
    /// per term the M largest postings stay (ties: the earlier document).
    /// </summary>
    private static (List<TermVector> Pruned, (long MinWeight, long DocumentTerms, long ListSize) Removed) PruneIndependently(IReadOnlyList<TermVector> documents, StaticPruning pruning)
    {
        long byMin = 0, byDoc = 0, byList = 0;
        var perDoc = new List<List<(string Term, float Weight)>>();
        foreach (var d in documents)
        {
            var sums = new Dictionary<string, float>();
            for (var i = 0; i < d.Terms.Length; i++)
                sums[d.Terms[i]] = sums.GetValueOrDefault(d.Terms[i]) + d.Weights[i];
            var terms = sums.Where(p => p.Value > 0).Select(p => (Term: p.Key, Weight: p.Value)).ToList();
            if (pruning.MinWeight is float min)
            {
                byMin += terms.Count(t => t.Weight < min);
                terms = [.. terms.Where(t => t.Weight >= min)];
            }
            if (pruning.DocumentTerms is int n && terms.Count > n)
            {
                byDoc += terms.Count - n;
                terms = [.. terms.OrderByDescending(t => t.Weight).ThenBy(t => t.Term, StringComparer.Ordinal).Take(n)];
            }
            perDoc.Add(terms);
        }
        if (pruning.ListSize is int m)
        {
            var keep = new HashSet<(int, string)>();
            foreach (var group in perDoc.SelectMany((terms, doc) => terms.Select(t => (Doc: doc, t.Term, t.Weight))).GroupBy(p => p.Term))
            {
                var kept = group.OrderByDescending(p => p.Weight).ThenBy(p => p.Doc).Take(m).ToList();
                byList += group.Count() - kept.Count;
                foreach (var p in kept)
                    keep.Add((p.Doc, p.Term));
            }
            perDoc = [.. perDoc.Select((terms, doc) => terms.Where(t => keep.Contains((doc, t.Term))).ToList())];
        }
        var pruned = documents.Select((d, i) => new TermVector(d.Id, [.. perDoc[i].Select(t => t.Term)], [.. perDoc[i].Select(t => t.Weight)])).ToList();
        return (pruned, (byMin, byDoc, byList));
    }
}
