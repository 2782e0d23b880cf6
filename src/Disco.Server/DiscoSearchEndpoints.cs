using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Disco.Core;
using Disco.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Disco.Server;

/// <summary>
/// Maps the HTTP API (docs/server.md) and the web page onto a host's routes. Every endpoint runs
/// through one wrapper: API key, per-request timeout, errors as <see cref="ErrorResponse"/> with
/// their status, and the request metrics.
/// </summary>
public static partial class DiscoSearchEndpoints
{
    /// <summary>The API version of docs/server.md; answers carry it in the <c>Disco-Api-Version</c> header.</summary>
    public const string ApiVersion = "1.0";

    // Non-ASCII text as it is (passages, wordpieces); HTML-sensitive characters stay escaped.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DiscoSearchEndpoints).Assembly.GetManifestResourceStream("Disco.Server.index.html")
            ?? throw new InvalidOperationException("the web page is not embedded in this build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>
    /// Maps <c>GET /</c> (the web page), <c>POST /v1/search</c>, <c>POST /v1/encode</c>,
    /// <c>GET /v1/index</c>, <c>POST /v1/admin/reload</c>, <c>GET /healthz</c> and
    /// <c>GET /metrics</c> under <paramref name="prefix"/>.
    /// </summary>
    public static RouteGroupBuilder MapDiscoSearch(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        // Cast: a lambda taking only HttpContext would bind as a RequestDelegate and drop the result.
        group.MapGet("/", (Delegate)((HttpContext http) => Handle(http, "page", auth: false, _ => Task.FromResult(PageResult(http)))))
            .ExcludeFromDescription();
        group.MapGet("/healthz", (HttpContext http, DiscoSearchService service) => Handle(http, "healthz", auth: false, _ => Task.FromResult(service.IsReady
                ? Results.Json(new HealthResponse("ok"), Json)
                : Results.Json(new HealthResponse("loading"), Json, statusCode: StatusCodes.Status503ServiceUnavailable))))
            .WithName("health").WithSummary("200 once loaded, 503 while loading")
            .Produces<HealthResponse>().Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/metrics", (HttpContext http, DiscoSearchService service) => Handle(http, "metrics", auth: true, _ =>
                Task.FromResult(Results.Text(service.Metrics.Render(service.Gauges()), "text/plain; version=0.0.4; charset=utf-8"))))
            .WithName("metrics").WithSummary("Prometheus text: requests, errors, latency histogram, queries encoded")
            .Produces<string>(contentType: "text/plain");

        var api = group.MapGroup("/v1");
        api.MapPost("/search", (HttpContext http, DiscoSearchService service) => Handle(http, "search", auth: true, async ct =>
            {
                var body = await RequestReader.ReadBodyAsync(http.Request, service.Options.MaxRequestBytes, ct).ConfigureAwait(false);
                var request = RequestReader.ReadSearch(body, service.Options);
                return Results.Json(await service.SearchAsync(request, ct).ConfigureAwait(false), Json);
            }))
            .WithName("search").WithSummary("Rank passages for a conversation, a text or a term vector")
            .Accepts<SearchRequest>("application/json").Produces<SearchResponse>().WithErrors();
        api.MapPost("/encode", (HttpContext http, DiscoSearchService service) => Handle(http, "encode", auth: true, async ct =>
            {
                var body = await RequestReader.ReadBodyAsync(http.Request, service.Options.MaxRequestBytes, ct).ConfigureAwait(false);
                var request = RequestReader.ReadEncode(body, service.Options);
                return Results.Json(await service.EncodeAsync(request, ct).ConfigureAwait(false), Json);
            }))
            .WithName("encode").WithSummary("The sparse vector of a text or conversation, as terms by weight")
            .Accepts<EncodeRequest>("application/json").Produces<EncodeResponse>().WithErrors();
        api.MapGet("/index", (HttpContext http, DiscoSearchService service) => Handle(http, "index", auth: true, _ => Task.FromResult(Results.Json(service.IndexInfo(), Json))))
            .WithName("index").WithSummary("Statistics of the index served now")
            .Produces<IndexInfo>().WithErrors();
        api.MapPost("/admin/reload", (HttpContext http, DiscoSearchService service) => Handle(http, "reload", auth: true, async ct =>
            {
                if (service.Options.ApiKey is null && !IsLoopback(http))
                    throw new RequestException(StatusCodes.Status403Forbidden, "reloading from another machine needs the server to have an API key");
                return Results.Json(await service.ReloadAsync(ct).ConfigureAwait(false), Json);
            }))
            .WithName("reload").WithSummary("Reopen the index folder and serve it, without failing a request")
            .Produces<ReloadResponse>().WithErrors();
        return group;
    }

    private static RouteHandlerBuilder WithErrors(this RouteHandlerBuilder builder) => builder
        .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
        .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
        .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
        .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable)
        .Produces<ErrorResponse>(StatusCodes.Status504GatewayTimeout);

    /// <summary>Runs one endpoint: API key, timeout, error mapping, metrics.</summary>
    private static async Task<IResult> Handle(HttpContext http, string endpoint, bool auth, Func<CancellationToken, Task<IResult>> work)
    {
        var service = http.RequestServices.GetRequiredService<DiscoSearchService>();
        var options = service.Options;
        service.Metrics.Started();
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(options.RequestTimeout);
        IResult result;
        int status;
        http.Response.Headers["Disco-Api-Version"] = ApiVersion;
        try
        {
            if (auth && options.ApiKey is { } key && !HasKey(http.Request, key))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                throw new RequestException(StatusCodes.Status401Unauthorized, "this server needs an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'");
            }
            result = await work(timeout.Token).ConfigureAwait(false);
            status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        }
        catch (RequestException e)
        {
            (result, status) = Error(e.StatusCode, e.Message, e.Field);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (body size, a malformed request): its status and message.
            (result, status) = Error(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? $"the request body is larger than the limit of {options.MaxRequestBytes} bytes" : e.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left: nobody reads an answer. 499 as nginx counts it.
            result = Results.Empty;
            status = 499;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            (result, status) = Error(StatusCodes.Status504GatewayTimeout, $"the request took longer than the limit of {options.RequestTimeout.TotalMilliseconds:F0} ms");
        }
        catch (DiscoException e)
        {
            (result, status) = Error(StatusCodes.Status400BadRequest, e.Message);
        }
#pragma warning disable CA1031 // Any other failure is a 500 with a generic message; the details go to the log, not to the client.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailure(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DiscoSearchEndpoints)), endpoint, e);
            (result, status) = Error(StatusCodes.Status500InternalServerError, "internal error; see the server log");
        }
        service.Metrics.Finished(endpoint, status, clock.Elapsed);
        return result;
    }

    private static (IResult, int) Error(int status, string message, string? field = null) =>
        (Results.Json(new ErrorResponse(message, field), Json, statusCode: status), status);

    private static bool HasKey(HttpRequest request, string key)
    {
        string? given = request.Headers["X-API-Key"];
        var authorization = request.Headers.Authorization.ToString();
        if (given is null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            given = authorization["Bearer ".Length..].Trim();
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }

    private static bool IsLoopback(HttpContext http) => http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);

    private static IResult PageResult(HttpContext http)
    {
        var headers = http.Response.Headers;
        // The page is self-contained: inline script and style, and requests to its own origin only.
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        return Results.Bytes(Page.Value, "text/html; charset=utf-8");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Endpoint} failed")]
    private static partial void LogFailure(ILogger logger, string endpoint, Exception exception);
}
