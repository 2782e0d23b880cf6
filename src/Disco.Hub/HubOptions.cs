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
/// <param name="ShowProgress">Draw a progress bar per downloaded file (on a terminal only).</param>
public sealed record HubOptions(
    string CacheDirectory,
    string Endpoint = HubOptions.DefaultEndpoint,
    string? Token = null,
    bool Offline = false,
    string Revision = HubOptions.DefaultRevision,
    bool ShowProgress = true)
{
    public const string DefaultEndpoint = "https://huggingface.co";
    public const string DefaultRevision = "main";

    /// <summary>A handler to send requests through instead of the default one (tests, proxies).</summary>
    public HttpMessageHandler? Handler { get; init; }

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
            IsTrue(Var("HF_HUB_OFFLINE")));
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
