using System.Text.Json;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// The fixture's golden top-10 rankings (computed in float64 by an independent implementation)
/// reproduced by indexing the golden document vectors and searching with the golden query vectors.
/// </summary>
public sealed class GoldenRankingTests
{
    [Theory]
    [InlineData(SearchAlgorithm.TermAtATime)]
    [InlineData(SearchAlgorithm.MaxScore)]
    public void Golden_rankings_are_reproduced_from_the_golden_vectors(SearchAlgorithm algorithm)
    {
        var vocabulary = File.ReadAllLines(Path.Combine(Fixtures.TinySplade, "vocab.txt"));
        var documents = ReadVectors(Fixtures.Golden("golden_documents.jsonl"), vocabulary);
        var queries = ReadVectors(Fixtures.Golden("golden_conversations.jsonl"), vocabulary);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), documents), verifyChecksums: true);
        var searcher = new IndexSearcher(index);
        var golden = File.ReadLines(Fixtures.Golden("golden_rankings.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(queries.Count, golden.Count);
        foreach (var ranking in golden)
        {
            var qid = ranking.GetProperty("query").GetString()!;
            var expected = ranking.GetProperty("top10").EnumerateArray().Select(e => (Doc: e.GetProperty("doc").GetString()!, Score: e.GetProperty("score").GetDouble())).ToList();
            var hits = searcher.Search(SearchQuery.Create(index, queries.Single(q => q.Id == qid)), 10, algorithm);
            Assert.Equal(expected.Count, hits.Length);
            for (var i = 0; i < hits.Length; i++)
            {
                var doc = index.DocumentId(hits[i].Doc);
                Assert.True(Math.Abs(hits[i].Score - expected[i].Score) < 1e-4, $"{qid} rank {i + 1}: score {hits[i].Score} vs golden {expected[i].Score}");
                // Documents may swap only where the golden scores are within the fixture's tie tolerance.
                Assert.True(doc == expected[i].Doc || Math.Abs(expected.Single(e => e.Doc == doc).Score - expected[i].Score) < 1e-4, $"{qid} rank {i + 1}: {doc} vs golden {expected[i].Doc}");
            }
        }
    }

    private static List<TermVector> ReadVectors(string path, string[] vocabulary) =>
        [.. File.ReadLines(path).Select(line =>
        {
            var root = JsonDocument.Parse(line).RootElement;
            var max = root.GetProperty("max");
            var ids = max.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32());
            var values = max.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble());
            return new TermVector(root.GetProperty("id").GetString()!, [.. ids.Select(i => vocabulary[i])], [.. values]);
        })];
}
