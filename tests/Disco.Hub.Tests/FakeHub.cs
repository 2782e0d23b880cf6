using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Disco.Hub.Tests;

/// <summary>
/// A server on 127.0.0.1 that answers like the hub's resolve endpoint: git files directly with an
/// ETag, LFS files with a 302 to a CDN path carrying X-Linked-Etag (the sha256) and X-Linked-Size,
/// X-Repo-Commit on every answer, 404 with X-Error-Code for missing files, revisions and repos, a
/// relative redirect for a renamed repository, and Range requests on the CDN.
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

    public void AddFile(string name, byte[] content, bool lfs) => _files[name] = (content, lfs);

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    // Git blob ETags are 40 hex digits (a sha1 of the git object); any 40-digit name serves here.
    private static string GitEtag(byte[] content) => Sha256(content)[..40];

    public void Dispose()
    {
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
            try
            {
                Handle(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        Log.Enqueue($"{request.HttpMethod} {path} {request.Headers["Range"]} {request.Headers["Authorization"]}".TrimEnd());
        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            ServeCdn(path["/cdn/".Length..], request, response);
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
            NotFound(response, "EntryNotFound", Commit);
            return;
        }
        response.Headers["X-Repo-Commit"] = Commit;
        if (entry.Lfs)
        {
            var sha = Sha256(entry.Content);
            response.StatusCode = 302;
            response.Headers["ETag"] = $"\"{GitEtag(entry.Content)}\"";
            response.Headers["X-Linked-Etag"] = $"\"{sha}\"";
            response.Headers["X-Linked-Size"] = entry.Content.Length.ToString(CultureInfo.InvariantCulture);
            response.Headers["Location"] = $"{CdnEndpoint}/cdn/{sha}";
            response.Close();
            return;
        }
        response.Headers["ETag"] = $"\"{GitEtag(entry.Content)}\"";
        response.ContentLength64 = entry.Content.Length;
        if (request.HttpMethod == "GET")
            response.OutputStream.Write(entry.Content);
        response.Close();
    }

    private void ServeCdn(string sha, HttpListenerRequest request, HttpListenerResponse response)
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
