using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Disco.Server.Tests;

/// <summary>A real Kestrel server on a free loopback port, with a client for it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public DiscoSearchService Service => (DiscoSearchService)App.Services.GetService(typeof(DiscoSearchService))!;

    public static async Task<RunningServer> StartAsync(Action<DiscoSearchOptions> search, Action<DiscoServerOptions>? configure = null)
    {
        var server = new DiscoServerOptions { Port = 0, MinimumLogLevel = LogLevel.Warning };
        configure?.Invoke(server);
        var app = DiscoServer.Build(server, search);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new RunningServer(app, new Uri(DiscoServer.Addresses(app).Single()));
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json, string contentType = "application/json", Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Post, path, new StringContent(json, Encoding.UTF8, contentType), configure);

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Get, path, null, configure);

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (text.Length == 0 || response.Content.Headers.ContentType?.MediaType != "application/json")
            return (response.StatusCode, default);
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
