using System.Globalization;
using Disco.Core;

namespace Disco.Hub;

/// <summary>
/// Where and how to reach the HuggingFace hub, with the same environment variables as
/// huggingface_hub (<see cref="FromEnvironment"/>), so a cache filled by Python tools is shared.
/// </summary>
/// <param name="CacheDirectory">The hub cache (folders <c>models--org--name</c>).</param>
/// <param name="Endpoint">Base address, e.g. <c>https://huggingface.co</c> (HF_ENDPOINT).</param>
/// <param name="Token">Bearer token for gated or private repositories (HF_TOKEN or the token file).</param>
/// <param name="Offline">Use the cache only and never open a connection (HF_HUB_OFFLINE=1).</param>
/// <param name="Revision">Branch, tag or commit; <c>main</c> by default.</param>
public sealed record HubOptions(
    string CacheDirectory,
    string Endpoint = HubOptions.DefaultEndpoint,
    string? Token = null,
    bool Offline = false,
    string Revision = HubOptions.DefaultRevision)
{
    public const string DefaultEndpoint = "https://huggingface.co";
    public const string DefaultRevision = "main";

    /// <summary>huggingface_hub's default for HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT: 10 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Told how each file download advances (a command line draws bars from it); null: silent.</summary>
    public IProgress<HubDownloadProgress>? Progress { get; init; }

    /// <summary>A handler to send requests through instead of the default one (tests, proxies).</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Longest wait to open a connection (default handler only).</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultTimeout;

    /// <summary>Longest wait for the answer to a metadata (HEAD) request (HF_HUB_ETAG_TIMEOUT).</summary>
    public TimeSpan MetadataTimeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// Longest wait for a download's headers and then for each next piece of its body
    /// (HF_HUB_DOWNLOAD_TIMEOUT): a slow transfer goes on, a stalled one fails and resumes on the next run.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// Reads HF_HUB_CACHE (or the older HUGGINGFACE_HUB_CACHE), HF_HOME, XDG_CACHE_HOME,
    /// HF_ENDPOINT, HF_TOKEN (or HF_TOKEN_PATH / <c>$HF_HOME/token</c>), HF_HUB_OFFLINE, in
    /// huggingface_hub's order of precedence. <paramref name="environment"/> replaces the process
    /// environment (tests).
    /// </summary>
    public static HubOptions FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Var(string name) => environment(name) is { Length: > 0 } v ? v : null;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var hfHome = Var("HF_HOME") ?? Path.Combine(Var("XDG_CACHE_HOME") ?? Path.Combine(home, ".cache"), "huggingface");
        var cache = Var("HF_HUB_CACHE") ?? Var("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(hfHome, "hub");
        var token = Var("HF_TOKEN") ?? Var("HUGGING_FACE_HUB_TOKEN") ?? ReadTokenFile(Var("HF_TOKEN_PATH") ?? Path.Combine(hfHome, "token"));
        return new HubOptions(
            ExpandHome(cache, home),
            (Var("HF_ENDPOINT") ?? DefaultEndpoint).TrimEnd('/'),
            token,
            IsTrue(Var("HF_HUB_OFFLINE")))
        {
            MetadataTimeout = Seconds("HF_HUB_ETAG_TIMEOUT", Var("HF_HUB_ETAG_TIMEOUT")),
            ReadTimeout = Seconds("HF_HUB_DOWNLOAD_TIMEOUT", Var("HF_HUB_DOWNLOAD_TIMEOUT")),
        };
    }

    /// <summary>A timeout variable in seconds (huggingface_hub reads them as numbers of seconds).</summary>
    private static TimeSpan Seconds(string name, string? value)
    {
        if (value is null)
            return DefaultTimeout;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) || seconds <= 0 || seconds > 86_400)
            throw new DiscoException($"{name}={value}: expected a number of seconds between 0 and 86400");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>huggingface_hub's truthy values: 1, ON, YES, TRUE (any case).</summary>
    public static bool IsTrue(string? value)
        => value is not null && (value.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE");

    private static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } t ? t : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ExpandHome(string path, string home)
        => path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;
}
