using System.Net;
using System.Text;
using System.Text.Json;
using Disco.TestSupport;

namespace Disco.Server.Tests;

/// <summary>
/// A bounded load test against loopback: thousands of requests from 32 concurrent clients with an
/// index swap in the middle; not a benchmark (bench/serve measures speed), a check that nothing
/// fails, leaks or mixes answers under load.
/// </summary>
public sealed class LoadTests(TinyCorpus collection) : IClassFixture<TinyCorpus>
{
    private const int Requests = 5000;
    private const int Clients = 32;

    [Fact]
    public async Task Five_thousand_requests_from_32_clients_with_an_index_swap_in_the_middle_all_succeed_without_memory_growth()
    {
        var served = collection.File("load-" + Guid.NewGuid().ToString("N"));
        collection.BuildIndex(served, 40);
        await using var server = await RunningServer.StartAsync(collection.Options(index: served));
        // A mix as clients send it: conversations and texts (encoded in micro-batches) and term vectors.
        var bodies = GoldenFixture.Conversations.SelectMany(c => new[]
        {
            JsonSerializer.Serialize(new
            {
                conversation = c.Turns.Select((t, i) => i == c.Turns.Count - 1 ? new { question = t.Question, answer = (string?)null } : new { question = t.Question, answer = t.Answer }).ToList(),
                k = 10,
            }),
            JsonSerializer.Serialize(new { text = c.Turns[^1].Question, k = 10 }),
            JsonSerializer.Serialize(new { vector = VectorOf(c.Turns[^1].Question), k = 10 }),
            JsonSerializer.Serialize(new { vector = VectorOf(c.Turns[0].Question), k = 10 }),
        }).ToList();
        var full = new HashSet<string>(GoldenFixture.Documents.Select(d => d.Id));
        var half = new HashSet<string>(GoldenFixture.Documents.Take(20).Select(d => d.Id));

        // Warm up, then measure memory over two rounds, swapping the index during the second.
        await RunAsync(server, bodies, 500, full);
        var before = Memory();
        var errors = await RunAsync(server, bodies, Requests / 2, full);
        var middle = Memory();
        var swap = Task.Run(async () =>
        {
            await Task.Delay(200);
            collection.BuildIndex(served, 20);
            return await server.PostAsync("/v1/admin/reload", "{}");
        });
        errors += await RunAsync(server, bodies, Requests / 2, full);
        var (reloadStatus, reload) = await swap;
        var after = Memory();

        Assert.Equal(0, errors);
        Assert.Equal(HttpStatusCode.OK, reloadStatus);
        Assert.Equal(20, reload.GetProperty("documents").GetInt32());
        Assert.Equal(0, server.Service.Metrics.Errors);
        // After the swap every answer comes from the new index.
        Assert.Equal(0, await RunAsync(server, bodies, 200, half));
        var batches = server.Service.Retriever.MicroBatches;
        Assert.True(batches.Queries > batches.Batches, $"concurrent queries shared encoder calls: {batches.Queries} queries in {batches.Batches} calls");
        // The managed heap after a full collection stays within a few MB of where it was.
        Assert.True(after - before < 24 << 20 && middle - before < 24 << 20, $"heap {before >> 20} MB -> {middle >> 20} MB -> {after >> 20} MB");
    }

    /// <summary>Sends <paramref name="count"/> requests from <see cref="Clients"/> clients; returns the failures (status, or a hit outside <paramref name="allowed"/>).</summary>
    private static async Task<int> RunAsync(RunningServer server, List<string> bodies, int count, HashSet<string> allowed)
    {
        var next = -1;
        var failures = 0;
        var cancellation = TestContext.Current.CancellationToken;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var content = new StringContent(bodies[i % bodies.Count], Encoding.UTF8, "application/json");
                using var response = await server.Client.PostAsync("/v1/search", content, cancellation);
                var ok = response.StatusCode == HttpStatusCode.OK;
                if (ok)
                {
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellation));
                    var hits = body.RootElement.GetProperty("hits");
                    ok = hits.EnumerateArray().All(h => allowed.Contains(h.GetProperty("id").GetString()!));
                }
                if (!ok)
                    Interlocked.Increment(ref failures);
            }
        }, cancellation)));
        return failures;
    }

    /// <summary>A term vector: the question's lowercased words, weight 1 (the index ignores words it lacks).</summary>
    private static Dictionary<string, float> VectorOf(string question) =>
        question.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('?', '.', ',')).Where(w => w.Length > 0).Distinct().ToDictionary(w => w, _ => 1f);

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
