using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Disco.Core;

namespace Disco.Hub;

/// <summary>
/// Downloads files of a model repository into the HuggingFace cache through the hub's resolve
/// endpoint (<c>{endpoint}/{repo}/resolve/{revision}/{file}</c>), the way huggingface_hub does: a
/// HEAD request for the commit and ETag, a GET that follows the redirect to the CDN for LFS files,
/// resumed with a Range request from <c>blobs/&lt;etag&gt;.incomplete</c>, the sha256 of LFS files
/// checked before the blob is moved into place and linked from the snapshot.
/// </summary>
public sealed class HubClient : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HubOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public HubClient(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Cache = new HubCache(options.CacheDirectory);
        _endpoint = new Uri(options.Endpoint.TrimEnd('/') + "/");
        // Redirects are followed by hand: the token must reach the hub but never the CDN host.
        var handler = options.Handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = options.ConnectTimeout };
        // No overall timeout (a large checkpoint downloads for minutes): each request waits at most
        // MetadataTimeout or ReadTimeout for its headers and each read of a body at most ReadTimeout.
        _http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("disco", "1.0"));
    }

    public HubCache Cache { get; }

    public void Dispose() => _http.Dispose();

    /// <summary>Asks the resolve endpoint about a file; null when the file does not exist at that revision.</summary>
    public async Task<HubFileMetadata?> GetMetadataAsync(string repoId, string file, string revision, CancellationToken cancellationToken = default)
    {
        if (!HubCache.IsSafeRelativePath(file))
            throw new DiscoException($"refusing file name '{HubCache.Printable(file)}' in '{repoId}': not a plain relative path");
        var uri = ResolveUri(repoId, file, revision);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = NewRequest(HttpMethod.Head, uri);
            using var response = await Send(request, repoId, file, _options.MetadataTimeout, cancellationToken).ConfigureAwait(false);
            var location = response.Headers.Location;
            var commit = Header(response, "X-Repo-Commit");
            if (IsRedirect(response.StatusCode) && location is not null)
            {
                var target = RedirectTarget(uri, location, repoId, file);
                // A relative redirect is the hub itself (a renamed repository): follow it. An
                // absolute one leads to the CDN: its metadata is on this response already.
                if (!location.IsAbsoluteUri || target.Host == _endpoint.Host && commit is null)
                {
                    uri = target;
                    continue;
                }
                return Metadata(response, repoId, file, target);
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                var code = Header(response, "X-Error-Code");
                if (code is "RepoNotFound")
                    throw new DiscoException($"model '{repoId}' was not found on {_options.Endpoint} (if it is private or gated, set HF_TOKEN)");
                if (code is "RevisionNotFound")
                    throw new DiscoException($"revision '{revision}' of '{repoId}' was not found on {_options.Endpoint}");
                if (commit is not null)
                    Cache.MarkMissing(repoId, CheckedCommit(commit, repoId, file), file);
                return null;
            }
            EnsureSuccess(response, repoId, file);
            return Metadata(response, repoId, file, uri);
        }
        throw new DiscoException($"{uri}: more than {MaxRedirects} redirects");
    }

    /// <summary>
    /// The local path of a file, downloading it when the cache does not hold it; null when the
    /// repository has no such file. Offline, only the cache is consulted.
    /// </summary>
    public async Task<string?> DownloadAsync(string repoId, string file, string? revision = null, CancellationToken cancellationToken = default)
    {
        revision ??= _options.Revision;
        if (_options.Offline)
            return Cache.TryGetFile(repoId, revision, file);
        var metadata = await GetMetadataAsync(repoId, file, revision, cancellationToken).ConfigureAwait(false);
        if (metadata is null)
            return null;
        Cache.WriteRef(repoId, revision, metadata.Commit);
        var blob = Cache.BlobPath(repoId, metadata.Etag);
        if (!File.Exists(blob))
            await DownloadBlobAsync(repoId, file, metadata, blob, cancellationToken).ConfigureAwait(false);
        return Cache.LinkSnapshotFile(repoId, metadata.Commit, file, metadata.Etag);
    }

    private async Task DownloadBlobAsync(string repoId, string file, HubFileMetadata metadata, string blob, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        var incomplete = blob + ".incomplete";
        var uri = metadata.DownloadUri;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var offset = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
            using var request = NewRequest(HttpMethod.Get, uri);
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            using var response = await Send(request, repoId, file, _options.ReadTimeout, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                uri = RedirectTarget(uri, location, repoId, file);
                continue;
            }
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // The partial file is as long as (or longer than) the blob: start over.
                File.Delete(incomplete);
                continue;
            }
            EnsureSuccess(response, repoId, file);
            var append = response.StatusCode == HttpStatusCode.PartialContent;
            if (!append)
                offset = 0;
            var progress = _options.Progress;
            progress?.Report(new HubDownloadProgress(repoId, file, offset, metadata.Size, Done: false));
            var length = offset;
            // The streams close before the length and hash are checked and the blob moved.
            {
                using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var target = new FileStream(incomplete, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var buffer = new byte[1 << 16];
                while (true)
                {
                    stall.CancelAfter(_options.ReadTimeout);
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new HubUnreachableException($"{repoId}/{file}: the download stalled (no data for {Seconds(_options.ReadTimeout)}) at {length.ToString(CultureInfo.InvariantCulture)} bytes; run again to resume (HF_HUB_DOWNLOAD_TIMEOUT sets the wait)");
                    }
                    if (read == 0)
                        break;
                    length += read;
                    // A server sending more than it announced would fill the disk: stop at the size.
                    if (metadata.Size is { } size && length > size)
                    {
                        target.Close();
                        File.Delete(incomplete);
                        throw new DiscoException($"{repoId}/{file}: the server sent more than the {size.ToString(CultureInfo.InvariantCulture)} bytes it announced; the download was discarded");
                    }
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    progress?.Report(new HubDownloadProgress(repoId, file, length, metadata.Size, Done: false));
                }
            }
            progress?.Report(new HubDownloadProgress(repoId, file, length, metadata.Size, Done: true));
            Verify(repoId, file, metadata, incomplete);
            File.Move(incomplete, blob, overwrite: true);
            return;
        }
        throw new DiscoException($"{metadata.DownloadUri}: more than {MaxRedirects} redirects");
    }

    private static void Verify(string repoId, string file, HubFileMetadata metadata, string incomplete)
    {
        var length = new FileInfo(incomplete).Length;
        if (metadata.Size is { } size && length != size)
        {
            // Keep the partial file: the next attempt resumes from it.
            throw new DiscoException($"{repoId}/{file}: download stopped at {length.ToString(CultureInfo.InvariantCulture)} of {size.ToString(CultureInfo.InvariantCulture)} bytes; run again to resume");
        }
        if (!metadata.IsLfs)
            return;
        string actual;
        using (var stream = File.OpenRead(incomplete))
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != metadata.Etag)
        {
            File.Delete(incomplete);
            throw new DiscoException($"{repoId}/{file}: sha256 {actual} does not match the hub's {metadata.Etag}; the download was discarded");
        }
    }

    private HubFileMetadata Metadata(HttpResponseMessage response, string repoId, string file, Uri downloadUri)
    {
        var commit = Header(response, "X-Repo-Commit")
            ?? throw new DiscoException($"{_options.Endpoint}: the answer for {repoId}/{file} has no X-Repo-Commit header; is HF_ENDPOINT a HuggingFace hub?");
        var etag = NormalizeEtag(Header(response, "X-Linked-Etag") ?? Header(response, "ETag"))
            ?? throw new DiscoException($"{_options.Endpoint}: the answer for {repoId}/{file} has no ETag header");
        // Both values name cache files: only the hub's hash forms are taken, never a path.
        if (!HubCache.IsBlobHash(etag))
            throw new DiscoException($"{_options.Endpoint}: refusing ETag '{HubCache.Printable(etag)}' for {repoId}/{file}: the hub's ETags are 40 or 64 hex digits");
        long? size = null;
        if (Header(response, "X-Linked-Size") is { } linkedSize)
        {
            size = long.TryParse(linkedSize, NumberStyles.None, CultureInfo.InvariantCulture, out var linked)
                ? linked
                : throw new DiscoException($"{_options.Endpoint}: refusing X-Linked-Size '{HubCache.Printable(linkedSize)}' for {repoId}/{file}");
        }
        size ??= response.Content.Headers.ContentLength;
        return new HubFileMetadata(CheckedCommit(commit, repoId, file), etag, size, downloadUri);
    }

    private string CheckedCommit(string commit, string repoId, string file)
        => HubCache.IsCommitHash(commit)
            ? commit
            : throw new DiscoException($"{_options.Endpoint}: refusing X-Repo-Commit '{HubCache.Printable(commit)}' for {repoId}/{file}: the hub's commit ids are 40 hex digits");

    /// <summary>Where a redirect leads; only http and https are followed.</summary>
    private Uri RedirectTarget(Uri from, Uri location, string repoId, string file)
    {
        var target = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp)
            throw new DiscoException($"{_options.Endpoint}: refusing a redirect to '{HubCache.Printable(target.ToString())}' for {repoId}/{file}: only http and https are followed");
        return target;
    }

    /// <summary>ETags arrive quoted and sometimes weak (<c>W/"..."</c>); the cache names blobs by the bare value.</summary>
    public static string? NormalizeEtag(string? etag)
    {
        if (etag is null)
            return null;
        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
            value = value[2..];
        return value.Trim('"') is { Length: > 0 } bare ? bare : null;
    }

    private Uri ResolveUri(string repoId, string file, string revision)
    {
        var path = $"{repoId}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}";
        return new Uri(_endpoint, path);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        if (_options.Token is { } token && uri.Host == _endpoint.Host && uri.Port == _endpoint.Port)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, string repoId, string file, TimeSpan timeout, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await _http.SendAsync(request, completion, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && e.InnerException is TimeoutException)
        {
            // SocketsHttpHandler's ConnectTimeout.
            throw new HubUnreachableException($"cannot connect to {request.RequestUri?.GetLeftPart(UriPartial.Authority)} within {Seconds(_options.ConnectTimeout)} for {repoId}/{file}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HubUnreachableException($"{request.RequestUri?.GetLeftPart(UriPartial.Authority)} did not answer within {Seconds(timeout)} for {repoId}/{file} (HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT set the waits)", e);
        }
        catch (HttpRequestException e)
        {
            throw new HubUnreachableException($"cannot reach {_options.Endpoint} for '{repoId}': {e.Message}", e);
        }
    }

    private static string Seconds(TimeSpan timeout) => $"{timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private void EnsureSuccess(HttpResponseMessage response, string repoId, string file)
    {
        if (response.IsSuccessStatusCode)
            return;
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new DiscoException($"{_options.Endpoint} refused '{repoId}' (HTTP {status.ToString(CultureInfo.InvariantCulture)}): the model is private, gated or misspelled; set HF_TOKEN to a token with access");
        throw new DiscoException($"{_options.Endpoint}: HTTP {status.ToString(CultureInfo.InvariantCulture)} for {repoId}/{file}");
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;
}
