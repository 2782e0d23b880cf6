using System.Text.Json;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>
/// `disco all` on SPLADE's toy data with the repository's conf/ folder and the tiny fixture, run as
/// a separate process so that SPLADE's environment variables name the configuration, as in
/// naver/splade's quick start.
/// </summary>
public sealed class AllCommandTests
{
    [Fact]
    public void Toy_experiment_writes_every_stage_consistently_and_a_second_call_skips_them_all()
    {
        using var temp = new TempDirectory();
        string[] args =
        [
            "all", $"init_dict.model_type_or_dir={Fixtures.TinySplade}", "config.nb_iterations=2", "config.train_batch_size=4", "config.max_length=32",
            "config.top_k=100", $"config.checkpoint_dir={temp.File("checkpoint")}", $"config.index_dir={temp.File("index")}", $"config.out_dir={temp.File("out")}",
        ];

        var first = CommandRunner.RunProcess("SPLADE_CONFIG_FULLPATH", Path.Combine(Fixtures.RepoRoot, "conf", "config_default.yaml"), args);

        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("3 stage(s) run, 0 skipped", first.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("checkpoint/model/model.safetensors")));
        Assert.True(File.Exists(temp.File("index/meta.json")));
        Assert.True(File.Exists(temp.File("out/disco-all/config.yaml")));
        // The index holds the trained model's encoding of the toy collection: all 89 passages.
        Assert.Equal(89, JsonDocument.Parse(File.ReadAllText(temp.File("index/meta.json"))).RootElement.GetProperty("documents").GetInt64());
        var metrics = JsonDocument.Parse(File.ReadAllText(temp.File("out/TOY/metrics.json"))).RootElement.GetProperty("all");
        var evaluated = CommandRunner.Evaluate(Fixtures.Data("splade-toy", "qrel", "qrel.json"), temp.File("out/TOY/run.trec"), "mrr.10", "recall.100");
        Assert.Equal(evaluated["mrr_10"], metrics.GetProperty("mrr_10").GetDouble(), 4);
        Assert.Equal(evaluated["recall_100"], metrics.GetProperty("recall_100").GetDouble(), 4);
        Assert.Equal(1.0, evaluated["recall_100"]); // top 100 of 89 passages holds every judged one

        var second = CommandRunner.RunProcess("SPLADE_CONFIG_NAME", "config_default.yaml", args);

        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("0 stage(s) run, 3 skipped", second.Out, StringComparison.Ordinal);
        foreach (var stage in new[] { "train", "index", "retrieve" })
            Assert.Contains($"{stage}: skipped (complete)", second.Err, StringComparison.Ordinal);
    }
}
