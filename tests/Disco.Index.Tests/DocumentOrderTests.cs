using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

public sealed class DocumentOrderTests
{
    [Fact]
    public void Every_algorithm_on_a_reordered_index_returns_the_brute_force_top_k()
    {
        for (var seed = 1; seed <= 25; seed++)
        {
            var collection = new RandomCollection(seed, maxDocs: 600);
            var impacts = (ImpactEncoding)(seed % 3);
            using var dir = new TempDirectory();
            using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions(impacts, 1024, 4 + (seed % 5)) { Order = DocumentOrder.Clustered, BlockMax = new BlockMaxBuildOptions(seed % 4) }), verifyChecksums: true);
            Assert.Equal(DocumentOrder.Clustered, index.Metadata.Order);
            var inIndexOrder = InIndexOrder(index, collection.Documents);
            var searcher = new IndexSearcher(index, rangeSize: 16 << (seed % 4));
            foreach (var vector in collection.Queries)
            {
                var query = SearchQuery.Create(index, vector);
                // Ties go to the earlier internal document, so the oracle scores the documents in the index's order.
                var expected = BruteForceOracle.TopK(inIndexOrder, query, index, collection.K, impacts);
                foreach (var algorithm in ExactAlgorithms.Of(index))
                {
                    var actual = searcher.Search(query, collection.K, algorithm).Select(h => (index.DocumentId(h.Doc), h.Score)).ToList();
                    Assert.True(expected.SequenceEqual(actual), $"seed {seed}, {impacts}, {algorithm}, query {vector.Id}");
                }
            }
        }
    }

    [Fact]
    public void Reordering_puts_documents_of_one_topic_next_to_each_other_and_is_deterministic()
    {
        var collection = new ClusteredTestCollection(seed: 3, documents: 4000);
        using var dir = new TempDirectory();
        var options = new IndexBuildOptions { Order = DocumentOrder.Clustered };
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("a"), collection.Documents, options));
        using var again = SparseIndex.Open(TestIndex.Build(dir.File("b"), collection.Documents, options));
        var topicOf = collection.Documents.Select((d, i) => (d.Id, Topic: collection.Topics[i])).ToDictionary(p => p.Id, p => p.Topic);
        var order = Enumerable.Range(0, index.DocumentCount).Select(index.DocumentId).ToList();
        Assert.Equal(collection.Documents.Select(d => d.Id).Order(StringComparer.Ordinal), order.Order(StringComparer.Ordinal));
        Assert.Equal(order, Enumerable.Range(0, again.DocumentCount).Select(again.DocumentId));
        // Neighbours sharing their main topic: about 1 in 40 in input order; reordering must make it common.
        double SameTopic(IReadOnlyList<string> ids) => Enumerable.Range(1, ids.Count - 1).Count(i => topicOf[ids[i]] == topicOf[ids[i - 1]]) / (double)(ids.Count - 1);
        var input = SameTopic([.. collection.Documents.Select(d => d.Id)]);
        var clustered = SameTopic(order);
        Assert.True(input < 0.06, $"input order {input:F3}");
        Assert.True(clustered > 0.4, $"clustered order {clustered:F3}");
    }

    [Fact]
    public void A_duplicate_document_id_is_refused_in_a_reordered_build()
    {
        using var dir = new TempDirectory();
        using var builder = new IndexBuilder(dir.File("index"), new IndexBuildOptions { Order = DocumentOrder.Clustered });
        builder.Add(new TermVector("a", ["x"], [1f]));
        Assert.Throws<DuplicateDocumentIdException>(() => builder.Add(new TermVector("a", ["y"], [1f])));
    }

    /// <summary>The input documents listed in the index's internal order.</summary>
    internal static List<TermVector> InIndexOrder(SparseIndex index, IReadOnlyList<TermVector> documents)
    {
        var byId = documents.ToDictionary(d => d.Id);
        return [.. Enumerable.Range(0, index.DocumentCount).Select(i => byId[index.DocumentId(i)])];
    }
}
