using System.Text;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Hub.Tests;

public sealed class HubModelResolverTests
{
    private static readonly byte[] Config = FakeHub.ModelConfig;
    private static readonly byte[] Vocab = FakeHub.ModelVocab;
    private static readonly byte[] TokenizerConfig = Encoding.UTF8.GetBytes("""{"do_lower_case": true}""");
    private static readonly byte[] Weights = MakeWeights(300_000);

    private static byte[] MakeWeights(int size)
    {
        var bytes = new byte[size];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static FakeHub ModelHub()
    {
        var hub = FakeHub.WithModel(Weights);
        hub.AddFile("tokenizer_config.json", TokenizerConfig, lfs: false);
        return hub;
    }

    private static HubOptions Options(string cache, string endpoint, bool offline = false, string revision = "main")
        => new(cache, endpoint, Token: "hf_test", Offline: offline, Revision: revision);

    [Fact]
    public void DownloadFillsTheCacheLayoutHuggingFaceHubUses()
    {
        using var hub = ModelHub();
        using var cache = new TempDirectory();
        var folder = HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, hub.Endpoint));

        var repo = Path.Combine(cache.Path, "models--org--tiny");
        Assert.Equal(Path.Combine(repo, "snapshots", FakeHub.Commit), folder);
        Assert.Equal(FakeHub.Commit, File.ReadAllText(Path.Combine(repo, "refs", "main")));
        var sha = FakeHub.Sha256(Weights);
        Assert.Equal(Path.Combine("..", "..", "blobs", sha), new FileInfo(Path.Combine(folder, "model.safetensors")).LinkTarget);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.Equal(Config, File.ReadAllBytes(Path.Combine(folder, "config.json")));
        Assert.Equal(Vocab, File.ReadAllBytes(Path.Combine(folder, "vocab.txt")));
        Assert.True(File.Exists(Path.Combine(repo, ".no_exist", FakeHub.Commit, "tokenizer.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(repo, "blobs"), "*.incomplete"));
    }

    [Fact]
    public void TokenGoesToTheHubButNotToTheCdn()
    {
        using var hub = ModelHub();
        using var cache = new TempDirectory();
        HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, hub.Endpoint));
        Assert.Contains(hub.Log, l => l.StartsWith("HEAD /org/tiny/resolve/main/config.json", StringComparison.Ordinal) && l.EndsWith("Bearer hf_test", StringComparison.Ordinal));
        var cdn = hub.Log.Where(l => l.StartsWith("GET /cdn/", StringComparison.Ordinal)).ToList();
        Assert.Single(cdn);
        Assert.DoesNotContain("Bearer", cdn[0], StringComparison.Ordinal);
    }

    [Fact]
    public void InterruptedDownloadResumesWithARangeRequest()
    {
        using var hub = ModelHub();
        using var cache = new TempDirectory();
        hub.CutNextDownloadAfter = 100_000;
        var options = Options(cache.Path, hub.Endpoint);
        Assert.ThrowsAny<IOException>(() => HubModelResolver.Resolve(FakeHub.Repo, options));
        var incomplete = Path.Combine(cache.Path, "models--org--tiny", "blobs", FakeHub.Sha256(Weights) + ".incomplete");
        Assert.Equal(100_000, new FileInfo(incomplete).Length);

        var folder = HubModelResolver.Resolve(FakeHub.Repo, options);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.Contains(hub.Log, l => l.StartsWith("GET /cdn/", StringComparison.Ordinal) && l.Contains("bytes=100000-", StringComparison.Ordinal));
        Assert.False(File.Exists(incomplete));
    }

    [Fact]
    public void ContentWhoseSha256DiffersIsRefused()
    {
        using var hub = ModelHub();
        using var cache = new TempDirectory();
        hub.CorruptDownloads = true;
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, hub.Endpoint)));
        Assert.Contains("sha256", e.Message, StringComparison.Ordinal);
        var blobs = Path.Combine(cache.Path, "models--org--tiny", "blobs");
        Assert.DoesNotContain(Directory.GetFiles(blobs), f => f.Contains(FakeHub.Sha256(Weights), StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(cache.Path, "models--org--tiny", "snapshots", FakeHub.Commit, "model.safetensors")));
    }

    [Fact]
    public void OfflineUsesTheCacheAndExplainsWhenTheModelIsMissing()
    {
        using var cache = new TempDirectory();
        using (var hub = ModelHub())
            HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, hub.Endpoint));
        var folder = HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, "http://127.0.0.1:9", offline: true));
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));

        using var empty = new TempDirectory();
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, Options(empty.Path, "http://127.0.0.1:9", offline: true)));
        Assert.Contains("HF_HUB_OFFLINE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheWrittenByPythonToolsIsUsedInPlaceWithoutTheNetwork()
    {
        using var cache = new TempDirectory();
        var commit = new string('a', 40);
        var repo = Path.Combine(cache.Path, "models--naver--splade-cocondenser-ensembledistil");
        var snapshot = Path.Combine(repo, "snapshots", commit);
        Directory.CreateDirectory(snapshot);
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), commit);
        foreach (var (name, content) in new[] { ("config.json", Config), ("vocab.txt", Vocab), ("pytorch_model.bin", Weights) })
        {
            var blob = Path.Combine(repo, "blobs", FakeHub.Sha256(content));
            File.WriteAllBytes(blob, content);
            File.CreateSymbolicLink(Path.Combine(snapshot, name), Path.Combine("..", "..", "blobs", FakeHub.Sha256(content)));
        }
        // Port 9 (discard) is closed here: any request would fail.
        var options = Options(cache.Path, "http://127.0.0.1:9");
        Assert.Equal(snapshot, HubModelResolver.Resolve("naver/splade-cocondenser-ensembledistil", options));
        Assert.Equal(snapshot, HubModelResolver.Resolve("naver/splade-cocondenser-ensembledistil", options with { Revision = commit }));
    }

    [Fact]
    public void ShardedCheckpointsFetchEveryShard()
    {
        using var hub = new FakeHub();
        hub.AddFile("config.json", Config, lfs: false);
        hub.AddFile("vocab.txt", Vocab, lfs: false);
        hub.AddFile("model.safetensors.index.json", Encoding.UTF8.GetBytes("""{"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00001-of-00002.safetensors"}}"""), lfs: false);
        hub.AddFile("model-00001-of-00002.safetensors", Weights[..1000], lfs: true);
        hub.AddFile("model-00002-of-00002.safetensors", Weights[1000..3000], lfs: true);
        using var cache = new TempDirectory();
        var folder = HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, hub.Endpoint, revision: FakeHub.Commit));
        Assert.Equal(Weights[1000..3000], File.ReadAllBytes(Path.Combine(folder, "model-00002-of-00002.safetensors")));
        Assert.False(Directory.Exists(Path.Combine(cache.Path, "models--org--tiny", "refs")));
        Assert.Equal(folder, HubModelResolver.CachedSnapshot(new HubCache(cache.Path), FakeHub.Repo, FakeHub.Commit));
    }

    [Fact]
    public async Task RenamedRepositoryRedirectIsFollowed()
    {
        using var hub = ModelHub();
        using var cache = new TempDirectory();
        using var client = new HubClient(Options(cache.Path, hub.Endpoint));
        var path = await client.DownloadAsync(FakeHub.RenamedRepo, "config.json", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(Config, File.ReadAllBytes(path!));
    }

    [Fact]
    public void UnknownRepositoryRevisionAndUnreachableHubGiveDistinctErrors()
    {
        using var hub = ModelHub();
        using var cache = new TempDirectory();
        var repo = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve("org/none", Options(cache.Path, hub.Endpoint)));
        Assert.Contains("'org/none' was not found", repo.Message, StringComparison.Ordinal);
        var revision = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, hub.Endpoint, revision: "v9")));
        Assert.Contains("revision 'v9'", revision.Message, StringComparison.Ordinal);
        Assert.Throws<HubUnreachableException>(() => HubModelResolver.Resolve(FakeHub.Repo, Options(cache.Path, "http://127.0.0.1:9")));
    }

    [Fact]
    public void DirectoriesPassThroughAndMissingPathsAreNamed()
    {
        using var dir = new TempDirectory();
        Assert.Equal(dir.Path, HubModelResolver.Resolve(dir.Path, Options(dir.Path, "http://127.0.0.1:9")));
        var e = Assert.Throws<DiscoException>(() => HubModelResolver.Resolve("./no/such/model", Options(dir.Path, "http://127.0.0.1:9")));
        Assert.Equal("model directory './no/such/model' does not exist", e.Message);
    }
}
