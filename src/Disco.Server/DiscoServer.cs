using System.Net;
using System.Runtime.InteropServices;
using Disco.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Disco.Server;

/// <summary>
/// The stand-alone server of <c>disco serve</c>: Kestrel on one address (loopback by default), the
/// search service and its endpoints, <c>/openapi.json</c>, optional CORS, SIGHUP reloads, and a
/// graceful shutdown that lets requests in flight finish. A host that has its own ASP.NET app uses
/// <see cref="DiscoSearchServiceCollectionExtensions.AddDiscoSearch"/> and
/// <see cref="DiscoSearchEndpoints.MapDiscoSearch"/> instead.
/// </summary>
public static partial class DiscoServer
{
    /// <summary>Builds the application; <c>await app.RunAsync()</c> (or StartAsync) serves it.</summary>
    public static WebApplication Build(DiscoServerOptions server, Action<DiscoSearchOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(configure);
        var search = new DiscoSearchOptions();
        configure(search);
        search.Validate();
        var address = ParseHost(server.Host);
        if (server.Port is < 0 or > 65535)
            throw new DiscoException($"port must be between 0 and 65535, got {server.Port}");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(server.MinimumLogLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = search.MaxRequestBytes;
            if (address is null)
                kestrel.ListenLocalhost(server.Port);
            else
                kestrel.Listen(address, server.Port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = server.ShutdownTimeout);
        builder.Services.AddDiscoSearch(configure);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Disco conversational search";
            document.Info.Version = DiscoSearchEndpoints.ApiVersion;
            document.Info.Description = "Learned sparse retrieval (SPLADE, DiSCo) over HTTP; docs/server.md";
            return Task.CompletedTask;
        }));
        if (server.CorsOrigins.Count > 0)
            builder.Services.AddCors();

        var app = builder.Build();
        if (server.CorsOrigins.Count > 0)
            app.UseCors(p => p.WithOrigins([.. server.CorsOrigins]).WithMethods("GET", "POST").WithHeaders("Content-Type", "Authorization", "X-API-Key"));
        app.MapOpenApi("/openapi.json");
        app.MapDiscoSearch();
        if (server.ReloadOnHangup)
            ReloadOnHangup(app);
        return app;
    }

    /// <summary>The addresses the server listens on once started (with the port it took when given 0).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
    }

    /// <summary>null for "localhost" (both loopbacks), else the address.</summary>
    private static IPAddress? ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return null;
        return IPAddress.TryParse(host, out var address) ? address : throw new DiscoException($"host must be an IP address or localhost, got '{host}'");
    }

    private static void ReloadOnHangup(WebApplication app)
    {
        var service = app.Services.GetRequiredService<DiscoSearchService>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DiscoServer));
        var tookOver = HangupSignal.TakeOverIfIgnored();
        var registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // Handled: without this, SIGHUP would end the process.
            context.Cancel = true;
            _ = Task.Run(async () =>
            {
                try
                {
                    await service.ReloadAsync().ConfigureAwait(false);
                }
                catch (RequestException e)
                {
                    LogHangupReloadFailed(logger, e.Message);
                }
            });
        });
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            registration.Dispose();
            if (tookOver)
                HangupSignal.IgnoreAgain();
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SIGHUP reload failed: {Problem}")]
    private static partial void LogHangupReloadFailed(ILogger logger, string problem);
}
