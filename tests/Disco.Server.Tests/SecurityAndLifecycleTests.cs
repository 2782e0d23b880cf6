using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Disco.TestSupport;

namespace Disco.Server.Tests;

public sealed class SecurityAndLifecycleTests(TinyCorpus collection) : IClassFixture<TinyCorpus>
{
    private const string Key = "test-key-0123456789";

    [Fact]
    public async Task With_an_api_key_the_api_and_metrics_need_it_and_the_page_and_health_do_not()
    {
        await using var server = await RunningServer.StartAsync(collection.Options(o => o.ApiKey = Key));
        var (status, body) = await server.PostAsync("/v1/search", """{"text": "paris"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("API key", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostAsync("/v1/search", """{"text": "paris"}""", configure: r => r.Headers.Add("X-API-Key", "wrong-key-0123456789"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/v1/index")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostAsync("/v1/admin/reload", "{}")).Status);
        using (var metrics = await server.Client.GetAsync("/metrics", TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("/v1/search", """{"text": "paris"}""", configure: r => r.Headers.Add("X-API-Key", Key))).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("/v1/search", """{"text": "paris"}""", configure: r => r.Headers.Authorization = new("Bearer", Key))).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("/v1/admin/reload", "{}", configure: r => r.Headers.Add("X-API-Key", Key))).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/healthz")).Status);
        using var page = await server.Client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task The_server_binds_to_loopback_unless_told_otherwise()
    {
        Assert.Equal("127.0.0.1", new DiscoServerOptions().Host);
        await using var server = await RunningServer.StartAsync(collection.Options());
        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.Throws<Core.DiscoException>(() => DiscoServer.Build(new DiscoServerOptions { Host = "example.com" }, collection.Options()));
    }

    [Fact]
    public async Task With_a_cors_origin_that_origin_is_granted_and_others_are_not()
    {
        await using var server = await RunningServer.StartAsync(collection.Options(), s => s.CorsOrigins = ["http://app.example"]);
        foreach (var (origin, granted) in new[] { ("http://app.example", true), ("http://evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/search");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
            using var response = await server.Client.SendAsync(preflight, TestContext.Current.CancellationToken);
            Assert.Equal(granted, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        }
    }

    [Fact]
    public async Task A_request_over_the_time_limit_gets_504()
    {
        // A 3 s micro-batch window holds the query in the encoder queue past the 300 ms limit.
        await using var server = await RunningServer.StartAsync(collection.Options(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(300);
            o.Retriever = o.Retriever with { MicroBatch = new Retrieval.MicroBatchOptions(WindowMilliseconds: 3000) };
        }));
        var (status, body) = await server.PostAsync("/v1/search", """{"text": "paris"}""");
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Contains("300 ms", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_serves_the_index_that_replaced_the_folder()
    {
        var served = collection.File("served-" + Guid.NewGuid().ToString("N"));
        collection.BuildIndex(served, 40);
        await using var server = await RunningServer.StartAsync(collection.Options(index: served));
        Assert.Equal(40, (await server.GetAsync("/v1/index")).Body.GetProperty("documents").GetInt32());
        collection.BuildIndex(served, 12);
        var (status, reload) = await server.PostAsync("/v1/admin/reload", "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(12, reload.GetProperty("documents").GetInt32());
        Assert.Equal(2, reload.GetProperty("generation").GetInt64());
        var (_, index) = await server.GetAsync("/v1/index");
        Assert.Equal(12, index.GetProperty("documents").GetInt32());
        var (_, search) = await server.PostAsync("/v1/search", """{"text": "paris", "k": 100}""");
        var kept = GoldenFixture.Documents.Take(12).Select(d => d.Id).ToHashSet();
        Assert.All(search.GetProperty("hits").EnumerateArray(), h => Assert.Contains(h.GetProperty("id").GetString()!, kept));

        // The folder gone: 500, and the old index stays in service.
        await using var other = await RunningServer.StartAsync(collection.Options(index: served));
        Directory.Delete(served, recursive: true);
        var (failed, error) = await other.PostAsync("/v1/admin/reload", "{}");
        Assert.Equal(HttpStatusCode.InternalServerError, failed);
        Assert.Contains("still serving the previous index", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync("/v1/search", """{"text": "paris"}""")).Status);
    }

    [Fact]
    public async Task SIGHUP_reloads_the_index_as_the_admin_endpoint_does()
    {
        await AssertHangupReloads();
    }

    /// <summary>
    /// Started under <c>nohup</c> (SIGHUP inherited as ignored, which .NET respects by installing no
    /// handler), the server still reloads on SIGHUP, and the signal is ignored again once it stops.
    /// This is how the test above failed in gates started with nohup: the signal never arrived.
    /// </summary>
    [Fact]
    public async Task SIGHUP_reloads_the_index_when_the_process_started_with_it_ignored()
    {
        var wasIgnored = HangupSignal.IsIgnored();
        HangupSignal.SetIgnored(true);
        try
        {
            await AssertHangupReloads();
            Assert.True(HangupSignal.IsIgnored());
        }
        finally
        {
            HangupSignal.SetIgnored(wasIgnored);
        }
    }

    private async Task AssertHangupReloads()
    {
        var served = collection.File("hup-" + Guid.NewGuid().ToString("N"));
        collection.BuildIndex(served, 40);
        await using (var server = await RunningServer.StartAsync(collection.Options(index: served), s => s.ReloadOnHangup = true))
        {
            collection.BuildIndex(served, 12);
            // The signal goes to this test process, which the server's handler keeps alive (unhandled, SIGHUP would end it).
            using (var kill = Process.Start("kill", ["-HUP", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, kill.ExitCode);
            }
            // The handler runs on the thread pool after the signal: wait for the reload it does, not a fixed time.
            var clock = Stopwatch.StartNew();
            JsonElement index;
            while ((index = (await server.GetAsync("/v1/index")).Body).GetProperty("generation").GetInt64() < 2)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "SIGHUP did not reload the index");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
            Assert.Equal(12, index.GetProperty("documents").GetInt32());
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("/v1/search", """{"text": "paris"}""")).Status);
        }
    }

    [Fact]
    public async Task Shutdown_finishes_the_requests_in_flight()
    {
        // Queries wait 1.5 s in the micro-batch window: they are in flight when the stop begins.
        var server = await RunningServer.StartAsync(collection.Options(o => o.Retriever = o.Retriever with { MicroBatch = new Retrieval.MicroBatchOptions(WindowMilliseconds: 1500) }));
        var inFlight = Enumerable.Range(0, 4).Select(_ => server.Client.PostAsync("/v1/search", new StringContent("""{"text": "paris"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken)).ToList();
        var clock = Stopwatch.StartNew();
        while (server.Service.Metrics.InFlight < inFlight.Count && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.Equal(inFlight.Count, server.Service.Metrics.InFlight);
        await server.App.StopAsync(TestContext.Current.CancellationToken);
        foreach (var response in await Task.WhenAll(inFlight))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        await server.DisposeAsync();
    }
}
