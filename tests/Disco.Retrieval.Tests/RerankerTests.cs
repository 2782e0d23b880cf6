using System.Text.Json;
using Disco.Core;
using Disco.Core.Queries;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Retrieval.Tests;

public sealed class RerankerTests : IClassFixture<RetrieverFixture>, IDisposable
{
    private readonly RetrieverFixture _fixture;
    private readonly CrossEncoder _crossEncoder = CrossEncoder.Load(Fixtures.TinyCrossEncoder);
    private readonly PassageStore _passages = new(GoldenFixture.Documents);

    public RerankerTests(RetrieverFixture fixture) => _fixture = fixture;

    /// <summary>The independent reference's logits at max length 512: (query, doc) → logit.</summary>
    private static readonly Dictionary<(string Query, string Doc), double> GoldenLogits = File.ReadLines(Path.Combine(Fixtures.TinyCrossEncoder, "golden_pairs.jsonl"))
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(e => e.GetProperty("max_length").GetInt32() == 512)
        .ToDictionary(e => (e.GetProperty("query").GetString()!, e.GetProperty("doc").GetString()!), e => e.GetProperty("logit").GetDouble());

    [Fact]
    public void A_run_is_reranked_to_the_golden_order_to_its_depth_and_kept_below_it()
    {
        // First stage: all 40 documents in id order for three conversations, rerank the top 12.
        string[] queries = ["c2", "c5", "c8"];
        var run = new Run(queries.Select(q => new Ranking(q, [.. GoldenFixture.Documents.Select((d, i) => new ScoredDocument(d.Id, 100.0 - i))])));
        var conversations = GoldenFixture.Conversations.Where(c => queries.Contains(c.Id)).ToDictionary(c => c.Id);
        var reranker = new Reranker(_crossEncoder, new RerankerOptions(Depth: 12));
        var texts = queries.ToDictionary(q => q, q => reranker.QueryText(Query.FromConversation(conversations[q])));
        Assert.Equal(GoldenFixture.Flattened["c2"], texts["c2"]);

        var reranked = reranker.Rerank(run, texts, _passages);

        Assert.Equal(queries, reranked.Keys);
        foreach (var q in queries)
        {
            var docs = reranked[q].Documents;
            Assert.Equal(40, docs.Count);
            var expected = GoldenFixture.Documents.Take(12).Select(d => d.Id).OrderByDescending(d => GoldenLogits[(q, d)]).ToList();
            for (var r = 0; r < 12; r++)
            {
                Assert.True(docs[r].DocId == expected[r] || Math.Abs(GoldenLogits[(q, docs[r].DocId)] - GoldenLogits[(q, expected[r])]) < 1e-4, $"{q} rank {r + 1}: {docs[r].DocId} vs {expected[r]}");
                Assert.Equal(GoldenLogits[(q, docs[r].DocId)], docs[r].Score, 1e-4);
            }
            // Below the depth: first-stage order, first-stage gaps, under the lowest reranked score.
            Assert.Equal(GoldenFixture.Documents.Skip(12).Select(d => d.Id), docs.Skip(12).Select(d => d.DocId));
            Assert.Equal(docs[11].Score - 1, docs[12].Score, 1e-9);
            for (var r = 13; r < 40; r++)
                Assert.Equal(docs[r - 1].Score - 1, docs[r].Score, 1e-9);
        }
    }

    [Fact]
    public void Reranking_chains_after_first_stage_search()
    {
        var retriever = new ConversationalRetriever(_fixture.Encoder, _fixture.Index, new RetrieverOptions(Search: new SearchOptions(TopK: 10)));
        var conversations = GoldenFixture.Conversations.Where(c => c.Id is "c2" or "c8").Select(Query.FromConversation).ToList();
        var firstStage = retriever.SearchMany(conversations);

        var reranked = new Reranker(_crossEncoder, new RerankerOptions(Depth: 5)).Rerank(firstStage, _passages);

        foreach (var result in firstStage.Results)
        {
            var firstIds = result.Documents.Select(d => d.DocumentId).ToList();
            var docs = reranked[result.QueryId].Documents;
            Assert.Equal(firstIds.Take(5).Order(StringComparer.Ordinal), docs.Take(5).Select(d => d.DocId).Order(StringComparer.Ordinal));
            Assert.Equal(docs.Take(5).Select(d => d.DocId), docs.Take(5).OrderByDescending(d => GoldenLogits[(result.QueryId, d.DocId)]).Select(d => d.DocId));
            Assert.Equal(firstIds.Skip(5), docs.Skip(5).Select(d => d.DocId));
        }
    }

    [Fact]
    public void A_missing_passage_or_rewrite_is_a_clear_error()
    {
        var reranker = new Reranker(_crossEncoder, new RerankerOptions(UseRewrite: true));
        var run = new Run([new Ranking("c2", [new ScoredDocument("nope", 1)])]);
        var error = Assert.Throws<DiscoException>(() => reranker.Rerank(run, new Dictionary<string, string> { ["c2"] = "q" }, _passages));
        Assert.Contains("'nope' is not in the collection", error.Message, StringComparison.Ordinal);
        var noRewrite = Assert.Throws<DiscoException>(() => reranker.QueryText(Query.FromConversation(GoldenFixture.Conversations[0])));
        Assert.Contains("has no rewrite", noRewrite.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _crossEncoder.Dispose();
}
