using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Disco.Hub.Tests;

/// <summary>
/// A server on 127.0.0.1 that answers like the hub's resolve endpoint: git files directly with an
/// ETag, LFS files with a 302 to a CDN path carrying X-Linked-Etag (the sha256) and X-Linked-Size,
/// X-Repo-Commit on every answer, 404 with X-Error-Code for missing files, revisions and repos, a
/// relative redirect for a renamed repository, and Range requests on the CDN. The hostile
/// settings make it a malicious or broken hub: forged headers, answers that never come, bodies that stall.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    public const string Repo = "org/tiny";
    public const string RenamedRepo = "old/tiny";
    public static readonly string Commit = new('c', 40);

    private readonly HttpListener _listener = new();
    private readonly HttpListener _cdn = new();
    private readonly Task _loop;
    private readonly Task _cdnLoop;
    private readonly Dictionary<string, (byte[] Content, bool Lfs)> _files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The config.json and vocab.txt of the model the hub serves in most tests.</summary>
    public static readonly byte[] ModelConfig = Encoding.UTF8.GetBytes("""{"model_type": "bert", "vocab_size": 8}""");

    public static readonly byte[] ModelVocab = Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n");

    /// <summary>A hub serving config.json and vocab.txt as git files and the weights as an LFS model.safetensors.</summary>
    public static FakeHub WithModel(byte[] weights)
    {
        var hub = new FakeHub();
        hub.AddFile("config.json", ModelConfig, lfs: false);
        hub.AddFile("vocab.txt", ModelVocab, lfs: false);
        hub.AddFile("model.safetensors", weights, lfs: true);
        return hub;
    }

    public FakeHub()
    {
        Endpoint = Listen(_listener);
        // The CDN is another host (here another port), as cdn-lfs.huggingface.co is.
        CdnEndpoint = Listen(_cdn);
        _loop = Task.Run(() => Serve(_listener));
        _cdnLoop = Task.Run(() => Serve(_cdn));
    }

    public string Endpoint { get; }

    public string CdnEndpoint { get; }

    private static string Listen(HttpListener listener)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var endpoint = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        listener.Prefixes.Add(endpoint + "/");
        listener.Start();
        return endpoint;
    }

    /// <summary>Every request as "METHOD path [Range] [Authorization]".</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>When set, the next CDN download sends this many bytes and then drops the connection.</summary>
    public long? CutNextDownloadAfter { get; set; }

    /// <summary>When true, the CDN serves content whose sha256 differs from the announced one.</summary>
    public bool CorruptDownloads { get; set; }

    /// <summary>When set, sent as X-Repo-Commit instead of <see cref="Commit"/> (on 404 answers too).</summary>
    public string? CommitHeader { get; set; }

    /// <summary>When set, sent as the ETag of git files and as X-Linked-Etag of LFS files (the CDN still serves the real content).</summary>
    public string? EtagHeader { get; set; }

    /// <summary>When set, sent as X-Linked-Size of LFS files.</summary>
    public string? LinkedSizeHeader { get; set; }

    /// <summary>When set, LFS files redirect here instead of to the CDN.</summary>
    public string? CdnLocation { get; set; }

    /// <summary>When true, the hub accepts every request and never answers.</summary>
    public bool NeverAnswer { get; set; }

    /// <summary>When set, CDN downloads send this many bytes and then nothing more, keeping the connection open.</summary>
    public long? StallDownloadsAfter { get; set; }

    public void AddFile(string name, byte[] content, bool lfs) => _files[name] = (content, lfs);

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    // Git blob ETags are 40 hex digits (a sha1 of the git object); any 40-digit name serves here.
    private static string GitEtag(byte[] content) => Sha256(content)[..40];

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in new[] { _listener, _cdn })
        {
            listener.Stop();
            listener.Close();
        }
        try
        {
            Task.WaitAll([_loop, _cdnLoop], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }

    private async Task Serve(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            // Each request on its own task, so a stalled answer does not hold up the others.
            _ = Task.Run(async () =>
            {
                try
                {
                    await Handle(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
                {
                    // The client went away or the hub is shutting down; nothing to answer.
                }
            });
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        Log.Enqueue($"{request.HttpMethod} {path} {request.Headers["Range"]} {request.Headers["Authorization"]}".TrimEnd());
        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            await ServeCdn(path["/cdn/".Length..], request, response);
            return;
        }
        if (NeverAnswer)
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
            return;
        }
        var renamedPrefix = $"/{RenamedRepo}/resolve/";
        if (path.StartsWith(renamedPrefix, StringComparison.Ordinal))
        {
            response.StatusCode = 307;
            response.Headers["Location"] = $"/{Repo}/resolve/{path[renamedPrefix.Length..]}";
            response.Close();
            return;
        }
        var prefix = $"/{Repo}/resolve/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            NotFound(response, "RepoNotFound", commit: null);
            return;
        }
        var rest = path[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var revision = rest[..slash];
        var file = rest[(slash + 1)..];
        if (revision != "main" && revision != Commit)
        {
            NotFound(response, "RevisionNotFound", commit: null);
            return;
        }
        if (!_files.TryGetValue(file, out var entry))
        {
            NotFound(response, "EntryNotFound", CommitHeader ?? Commit);
            return;
        }
        response.Headers["X-Repo-Commit"] = CommitHeader ?? Commit;
        if (entry.Lfs)
        {
            var sha = Sha256(entry.Content);
            response.StatusCode = 302;
            response.Headers["ETag"] = $"\"{GitEtag(entry.Content)}\"";
            response.Headers["X-Linked-Etag"] = $"\"{EtagHeader ?? sha}\"";
            response.Headers["X-Linked-Size"] = LinkedSizeHeader ?? entry.Content.Length.ToString(CultureInfo.InvariantCulture);
            response.Headers["Location"] = CdnLocation ?? $"{CdnEndpoint}/cdn/{sha}";
            response.Close();
            return;
        }
        response.Headers["ETag"] = $"\"{EtagHeader ?? GitEtag(entry.Content)}\"";
        response.ContentLength64 = entry.Content.Length;
        if (request.HttpMethod == "GET")
            response.OutputStream.Write(entry.Content);
        response.Close();
    }

    private async Task ServeCdn(string sha, HttpListenerRequest request, HttpListenerResponse response)
    {
        var entry = _files.Values.FirstOrDefault(f => f.Lfs && Sha256(f.Content) == sha);
        if (entry.Content is null)
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        var content = entry.Content;
        if (CorruptDownloads)
        {
            content = [.. content];
            content[^1] ^= 0xFF;
        }
        long start = 0;
        if (request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            start = long.Parse(range["bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }
        var body = content.AsSpan((int)start);
        response.ContentLength64 = body.Length;
        if (StallDownloadsAfter is { } stall)
        {
            response.OutputStream.Write(body[..(int)stall]);
            response.OutputStream.Flush();
            await Task.Delay(Timeout.Infinite, _stop.Token);
            return;
        }
        if (CutNextDownloadAfter is { } cut)
        {
            CutNextDownloadAfter = null;
            response.OutputStream.Write(body[..(int)cut]);
            response.OutputStream.Flush();
            response.Abort();
            return;
        }
        response.OutputStream.Write(body);
        response.Close();
    }

    private static void NotFound(HttpListenerResponse response, string code, string? commit)
    {
        response.StatusCode = 404;
        response.Headers["X-Error-Code"] = code;
        if (commit is not null)
            response.Headers["X-Repo-Commit"] = commit;
        response.Close();
    }
}
