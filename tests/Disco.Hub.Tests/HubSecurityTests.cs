using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Hub.Tests;

/// <summary>
/// The hub client against a hostile or broken hub on loopback: forged commit ids, ETags, shard
/// names and redirects must never put a file outside the cache, and answers that never come or
/// stop midway must end in a clear error instead of a hang.
/// </summary>
public sealed class HubSecurityTests
{
    private static readonly byte[] Weights = [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7))];

    private static FakeHub ModelHub() => FakeHub.WithModel(Weights);

    /// <summary>A cache inside a sandbox folder, so anything written beside the cache can be seen.</summary>
    private sealed class Sandbox : IDisposable
    {
        private readonly TempDirectory _root = new();

        public Sandbox() => Directory.CreateDirectory(Cache);

        public string Cache => Path.Combine(_root.Path, "deep", "er", "hub");

        // Normal answers get the default waits (a loaded CI machine can be slow); the stall tests short ones.
        public HubOptions Options(string endpoint, string revision = "main") => new(Cache, endpoint, Token: null, Revision: revision);

        public HubOptions Impatient(string endpoint, double metadataSeconds = 10, double readSeconds = 10)
            => Options(endpoint) with { MetadataTimeout = TimeSpan.FromSeconds(metadataSeconds), ReadTimeout = TimeSpan.FromSeconds(readSeconds) };

        /// <summary>Every file and folder of the sandbox that is not inside the cache.</summary>
        public IReadOnlyList<string> Outside()
            => [.. Directory.EnumerateFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories)
                .Where(p => !p.StartsWith(Cache + Path.DirectorySeparatorChar, StringComparison.Ordinal) && p != Cache
                    && !Cache.StartsWith(p + Path.DirectorySeparatorChar, StringComparison.Ordinal))];

        public void Dispose() => _root.Dispose();
    }

    [Theory]
    [InlineData("../../../../escaped")]
    [InlineData("/tmp/escaped-absolute")]
    [InlineData("cccccccccccccccccccccccccccccccccccccccc/../../../../escaped")]
    [InlineData("CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC")]
    [InlineData("main")]
    public void ForgedCommitIdsAreRefusedAndWriteNothingOutsideTheCache(string commit)
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.CommitHeader = commit;
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Options(hub.Endpoint)));
        Assert.Contains("refusing X-Repo-Commit", e.Message, StringComparison.Ordinal);
        Assert.Empty(box.Outside());
        Assert.False(File.Exists("/tmp/escaped-absolute"));
    }

    [Theory]
    [InlineData("config.json", "../../../../escaped")]
    [InlineData("config.json", "../../blobs/../../../escaped")]
    [InlineData("model.safetensors", "../../../../escaped")]
    [InlineData("model.safetensors", "/tmp/escaped-absolute")]
    [InlineData("model.safetensors", "abc")]
    public async Task ForgedEtagsAreRefusedAndWriteNothingOutsideTheCache(string file, string etag)
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.EtagHeader = etag;
        using var client = new HubClient(box.Options(hub.Endpoint));
        var e = await Assert.ThrowsAsync<DiscoException>(() => client.DownloadAsync(FakeHub.Repo, file, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("refusing ETag", e.Message, StringComparison.Ordinal);
        Assert.Empty(box.Outside());
        Assert.False(File.Exists("/tmp/escaped-absolute"));
    }

    [Fact]
    public async Task ACommitOnANotFoundAnswerIsCheckedToo()
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.CommitHeader = "../../../../escaped";
        using var client = new HubClient(box.Options(hub.Endpoint));
        await Assert.ThrowsAsync<DiscoException>(() => client.DownloadAsync(FakeHub.Repo, "tokenizer.json", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Empty(box.Outside());
    }

    [Theory]
    [InlineData("../../../../escaped.safetensors")]
    [InlineData("/tmp/escaped-absolute")]
    [InlineData("sub/../../../../escaped.safetensors")]
    [InlineData("..\\..\\escaped.safetensors")]
    public void ShardNamesThatAreNotPlainRelativePathsAreRefused(string shard)
    {
        using var hub = new FakeHub();
        hub.AddFile("config.json", FakeHub.ModelConfig, lfs: false);
        hub.AddFile("vocab.txt", FakeHub.ModelVocab, lfs: false);
        hub.AddFile("model.safetensors.index.json", Encoding.UTF8.GetBytes("{\"weight_map\": {\"a\": " + JsonSerializer.Serialize(shard) + "}}"), lfs: false);
        using var box = new Sandbox();
        var e = Assert.Throws<DataFormatException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Options(hub.Endpoint)));
        Assert.Contains("not a plain relative file name", e.Message, StringComparison.Ordinal);
        Assert.Empty(box.Outside());
        Assert.False(File.Exists("/tmp/escaped-absolute"));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/x")]
    public void RedirectsOnlyLeadToHttp(string location)
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.CdnLocation = location;
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Options(hub.Endpoint)));
        Assert.Contains("only http and https", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../../../escaped")]
    [InlineData("/tmp/escaped-absolute")]
    [InlineData("refs/../../../escaped")]
    public void RevisionsThatLeaveRefsAreRefused(string revision)
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Options(hub.Endpoint, revision)));
        Assert.Contains("is not a valid revision", e.Message, StringComparison.Ordinal);
        Assert.Empty(box.Outside());
    }

    [Fact]
    public void ATamperedRefInTheCacheIsNamedInsteadOfFollowed()
    {
        using var box = new Sandbox();
        var refs = Path.Combine(box.Cache, "models--org--tiny", "refs");
        Directory.CreateDirectory(refs);
        File.WriteAllText(Path.Combine(refs, "main"), "../../../../escaped");
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Options("http://127.0.0.1:9")));
        Assert.Contains("not a commit id", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(refs, "main"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHubThatNeverAnswersTimesOutWithAClearMessage()
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.NeverAnswer = true;
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<HubUnreachableException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Impatient(hub.Endpoint, metadataSeconds: 1)));
        Assert.Equal($"{hub.Endpoint} did not answer within 1 s for org/tiny/config.json (HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT set the waits)", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void AStalledDownloadFailsAndTheNextRunResumesIt()
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.StallDownloadsAfter = 20_000;
        var e = Assert.Throws<HubUnreachableException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Impatient(hub.Endpoint, readSeconds: 2)));
        Assert.Equal("org/tiny/model.safetensors: the download stalled (no data for 2 s) at 20000 bytes; run again to resume (HF_HUB_DOWNLOAD_TIMEOUT sets the wait)", e.Message);
        var incomplete = Path.Combine(box.Cache, "models--org--tiny", "blobs", FakeHub.Sha256(Weights) + ".incomplete");
        Assert.Equal(20_000, new FileInfo(incomplete).Length);

        hub.StallDownloadsAfter = null;
        var folder = HubModelResolver.Resolve(FakeHub.Repo, box.Options(hub.Endpoint));
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.Contains(hub.Log, l => l.StartsWith("GET /cdn/", StringComparison.Ordinal) && l.Contains("bytes=20000-", StringComparison.Ordinal));
    }

    [Fact]
    public void ABodyLongerThanAnnouncedIsCutAndDiscarded()
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.LinkedSizeHeader = "1000";
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Options(hub.Endpoint)));
        Assert.Contains("sent more than the 1000 bytes it announced", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(box.Cache, "models--org--tiny", "blobs"), "*.incomplete"));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("12abc")]
    public void MalformedSizesAreRefused(string size)
    {
        using var hub = ModelHub();
        using var box = new Sandbox();
        hub.LinkedSizeHeader = size;
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, box.Options(hub.Endpoint)));
        Assert.Contains("refusing X-Linked-Size", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true, true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false, true)]
    [InlineData("0123456789ABCDEF0123456789abcdef01234567", false, false)]
    [InlineData("0123456789abcdef0123456789abcdef01234567\n", false, false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456", false, false)]
    [InlineData("../0123456789abcdef0123456789abcdef012345", false, false)]
    [InlineData("", false, false)]
    public void OnlyTheHubsHashFormsAreAccepted(string value, bool commit, bool blob)
    {
        Assert.Equal(commit, HubCache.IsCommitHash(value));
        Assert.Equal(blob, HubCache.IsBlobHash(value));
    }

    [Theory]
    [InlineData("config.json", true)]
    [InlineData("onnx/model.onnx", true)]
    [InlineData("..", false)]
    [InlineData("a/../b", false)]
    [InlineData("./a", false)]
    [InlineData("a//b", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\u0000b", false)]
    [InlineData("", false)]
    public void FileNamesMustBePlainRelativePaths(string name, bool safe) => Assert.Equal(safe, HubCache.IsSafeRelativePath(name));
}
