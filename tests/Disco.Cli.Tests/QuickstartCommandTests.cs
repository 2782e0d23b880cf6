using System.Text.Json;
using Disco.Cli.Commands;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

[Collection(ConsoleCaptureTests.Name)]
public sealed class QuickstartCommandTests
{
    internal static int Run(params string[] args) => CommandRunner.Run(QuickstartCommand.Create(), args);

    [Fact]
    public void RunsEndToEndWithTinySpladeAndRanksAndEvaluatesLikeBruteForce()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Run("quickstart", "--doc-model", Fixtures.TinySplade, "--query-model", Fixtures.TinySplade, "--out", dir.Path));
        var oracle = new SampleOracle(Path.Combine(dir.Path, "data"));
        oracle.AssertRunMatches(Path.Combine(dir.Path, "run", "run.trec"));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "run", "metrics.json")));
        var all = metrics.RootElement.GetProperty("all");
        Assert.Equal(oracle.MeanReciprocalRankAt10(), all.GetProperty("mrr_10").GetDouble(), 9);
        Assert.Equal(oracle.RecallAt10(), all.GetProperty("recall_10").GetDouble(), 9);
        Assert.True(File.Exists(Path.Combine(dir.Path, "index", "meta.json")));
        Assert.Contains($"doc_model: {Fixtures.TinySplade}", File.ReadAllText(Path.Combine(dir.Path, "disco-config.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutNetworkOrCachedModelsItExplainsHowToSupplyThemAndExits1()
    {
        using var cache = new TempDirectory();
        var saved = (Environment.GetEnvironmentVariable("HF_HUB_OFFLINE"), Environment.GetEnvironmentVariable("HF_HUB_CACHE"));
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", cache.Path);
        var error = new StringWriter();
        var previous = Console.Error;
        try
        {
            Console.SetError(error);
            Assert.Equal(1, Run("quickstart", "--out", cache.File("out")));
        }
        finally
        {
            Console.SetError(previous);
            Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", saved.Item1);
            Environment.SetEnvironmentVariable("HF_HUB_CACHE", saved.Item2);
        }
        var message = error.ToString();
        Assert.Contains("--doc-model DIR --query-model DIR", message, StringComparison.Ordinal);
        Assert.Contains("naver/splade-cocondenser-ensembledistil", message, StringComparison.Ordinal);
        Assert.Single(message.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(cache.File("out")));
    }
}
