using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Index;
using Disco.TestSupport;

namespace Disco.Retrieval.Tests;

/// <summary>What a server relies on: micro-batched encoding of concurrent callers, and index swaps under live searches.</summary>
public sealed class ConcurrentRetrieverTests(RetrieverFixture fixture) : IClassFixture<RetrieverFixture>
{
    [Fact]
    public async Task Concurrent_callers_share_encoder_calls_and_get_the_vectors_of_a_plain_encode()
    {
        var retriever = new ConversationalRetriever(fixture.Encoder, fixture.Index, new RetrieverOptions(MicroBatch: new MicroBatchOptions(WindowMilliseconds: 50, MaxBatchSize: 8)));
        var queries = GoldenFixture.Conversations.Select(Query.FromConversation).ToList();
        var expected = retriever.Encode(queries);
        var flattening = new FlatteningOptions(FlatteningMode.LastQuestion);
        var encoded = await Task.WhenAll(queries.Select(q => Task.Run(() => retriever.EncodeAsync(q, cancellationToken: TestContext.Current.CancellationToken))));
        var last = await retriever.EncodeAsync(queries[0], flattening, TestContext.Current.CancellationToken);
        for (var i = 0; i < queries.Count; i++)
        {
            Assert.Equal(expected[i].Text, encoded[i].Text);
            Assert.Equal(expected[i].Vector!.Indices, encoded[i].Vector!.Indices);
            // Batched with other texts (padding differs): equal within the fixtures' float32 tolerance.
            Assert.All(expected[i].Vector!.Values.Zip(encoded[i].Vector!.Values), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4 + 1e-3 * Math.Abs(p.First), $"{p.First} vs {p.Second}"));
            Assert.True(encoded[i].EncodeMilliseconds > 0);
        }
        Assert.Equal(queries[0].Conversation!.Turns[^1].Question, last.Text);
        var stats = retriever.MicroBatches;
        Assert.Equal(queries.Count + 1, stats.Queries);
        // A 50 ms window gathers callers: far fewer encoder calls than queries, none over the maximum size.
        Assert.True(stats.Batches < queries.Count && stats.Batches >= (queries.Count + 7) / 8, $"{stats.Queries} queries in {stats.Batches} calls");
    }

    [Fact]
    public async Task A_caller_that_gives_up_before_its_batch_starts_is_cancelled_and_others_are_served()
    {
        var retriever = new ConversationalRetriever(fixture.Encoder, fixture.Index, new RetrieverOptions(MicroBatch: new MicroBatchOptions(WindowMilliseconds: 300)));
        using var cancel = new CancellationTokenSource(20);
        var given = retriever.EncodeAsync(Query.FromText("a", "paris"), cancellationToken: cancel.Token);
        var kept = retriever.EncodeAsync(Query.FromText("b", "tower"), cancellationToken: TestContext.Current.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => given);
        Assert.Equal("tower", (await kept).Text);
        Assert.Equal(1, retriever.MicroBatches.Queries);
    }

    [Fact]
    public async Task Swapping_indexes_under_concurrent_searches_hands_back_each_old_index_after_its_last_search()
    {
        var half = fixture.File("swap-half");
        IndexBuilder.FromRecords(GoldenFixture.Documents.Take(20).ToList(), fixture.Encoder, half);
        using var first = SparseIndex.Open(fixture.File("index"));
        var retriever = new ConversationalRetriever(fixture.Encoder, first, new RetrieverOptions(Search: new SearchOptions(TopK: 10, Explain: true)));
        var queries = retriever.Encode(GoldenFixture.Conversations.Select(Query.FromConversation).ToList());
        using var stop = new CancellationTokenSource();
        var searched = 0L;
        var searchers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                // Explaining reads postings: a disposed index would fail here (or crash).
                var result = retriever.Search(queries[i++ % queries.Count]);
                Assert.All(result.Documents, d => Assert.NotNull(d.MatchedTerms));
                Interlocked.Increment(ref searched);
            }
        })).ToList();
        for (var swap = 0; swap < 20; swap++)
        {
            var previous = await retriever.ReplaceIndexAsync(SparseIndex.Open(swap % 2 == 0 ? half : fixture.File("index")));
            if (swap > 0)
                previous.Dispose();
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        await stop.CancelAsync();
        await Task.WhenAll(searchers);
        retriever.Index.Dispose();
        Assert.True(Interlocked.Read(ref searched) > 20);
    }
}
