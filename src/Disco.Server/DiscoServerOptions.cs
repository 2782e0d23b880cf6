using Microsoft.Extensions.Logging;

namespace Disco.Server;

/// <summary>How <see cref="DiscoServer"/> hosts the service: where it listens, CORS, signals, shutdown, logging.</summary>
public sealed class DiscoServerOptions
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;

    /// <summary>An IP address or "localhost"; loopback unless set otherwise, so nothing is exposed by accident.</summary>
    public string Host { get; set; } = DefaultHost;

    /// <summary>TCP port; 0 takes a free one (see <see cref="DiscoServer.Addresses"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Origins allowed to call the API from a browser; none (CORS off) by default.</summary>
    public IReadOnlyList<string> CorsOrigins { get; set; } = [];

    /// <summary>Reload the index on SIGHUP (as <c>POST /v1/admin/reload</c> does).</summary>
    public bool ReloadOnHangup { get; set; }

    /// <summary>How long shutdown waits for requests in flight.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Information;
}
