using System.Text.Json;
using Disco.Cli.Configuration;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>Hydra 1.1 defaults composition on a conf/ folder shaped like naver/splade's (groups train/config, train/data, index, hf).</summary>
public sealed class HydraCompositionTests
{
    private static TempDirectory Conf()
    {
        var dir = new TempDirectory();
        void Write(string relative, string text)
        {
            var path = Path.Combine(dir.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        Write("config_main.yaml", """
            defaults:
              - train/config: small
              - train/data: triplets
              - index: toy
              - optional extra: missing
            config:
              lr: 3e-5
              checkpoint_dir: ???
            """);
        Write("train/config/small.yaml", "# @package config\n\nlr: 2e-5\nseed: 123\nregularizer:\n  FLOPS:\n    lambda_d: 3e-4\n    T: 3\n");
        Write("train/config/big.yaml", "# @package config\nlr: 1e-5\nseed: 7\n");
        Write("train/data/triplets.yaml", "# @package data\nTRAIN_DATA_DIR: data/triplets\n");
        Write("train/data/scores.yaml", "# @package data\nTRAIN:\n  DATASET_PATH: data/scores.pkl.gz\n");
        Write("index/toy.yaml", "# @package _global_\ndata:\n  COLLECTION_PATH: data/full_collection\nconfig:\n  index_retrieve_batch_size: 6\n");
        Write("index/big.yaml", "# @package _global_\ndata:\n  COLLECTION_PATH: data/big\n");
        Write("hf/training.yaml", "# @package hf\ntraining:\n  num_train_epochs: 1\n");
        Write("nopackage/thing.yaml", "value: 1\n");
        return dir;
    }

    [Fact]
    public void GroupsMergeAtTheirPackagesAndThePrimaryFileWinsWithoutSelf()
    {
        using var dir = Conf();
        var overrides = new List<ConfigOverride>();

        var tree = HydraComposition.Load(dir.File("config_main.yaml"), overrides);

        Assert.True(tree.TryGet("config.lr", out var lr));
        Assert.Equal("3e-5", lr);
        Assert.True(tree.TryGet("config.seed", out var seed));
        Assert.Equal("123", seed);
        Assert.True(tree.TryGet("config.regularizer.FLOPS.T", out var t));
        Assert.Equal("3", t);
        Assert.True(tree.TryGet("config.index_retrieve_batch_size", out var batch));
        Assert.Equal("6", batch);
        Assert.True(tree.TryGet("data.TRAIN_DATA_DIR", out var triplets));
        Assert.Equal("data/triplets", triplets);
        Assert.True(tree.TryGet("data.COLLECTION_PATH", out var collection));
        Assert.Equal("data/full_collection", collection);
        Assert.False(tree.TryGet("defaults", out _));
        Assert.False(tree.TryGet("extra", out _));
    }

    [Fact]
    public void CommandLineChoosesAndAddsGroupsAndLeavesKeyOverrides()
    {
        using var dir = Conf();
        var overrides = new[] { "train/config=big", "index=big", "+hf=training", "config.checkpoint_dir=ckpt", "+nopackage=thing" }
            .Select(ConfigOverride.Parse).ToList();

        var tree = HydraComposition.Load(dir.File("config_main.yaml"), overrides);

        Assert.Equal(["config.checkpoint_dir"], overrides.Select(o => o.Key));
        Assert.True(tree.TryGet("config.seed", out var seed));
        Assert.Equal("7", seed);
        Assert.False(tree.TryGet("config.regularizer", out _));
        Assert.True(tree.TryGet("data.COLLECTION_PATH", out var collection));
        Assert.Equal("data/big", collection);
        Assert.True(tree.TryGet("hf.training.num_train_epochs", out var epochs));
        Assert.Equal("1", epochs);
        // Without a header a group file lands at its group path.
        Assert.True(tree.TryGet("nopackage.value", out var value));
        Assert.Equal("1", value);
    }

    [Fact]
    public void UnknownOptionAndGroupOutsideTheDefaultsAreUsageErrors()
    {
        using var dir = Conf();

        var unknown = Assert.Throws<UsageException>(() => HydraComposition.Load(dir.File("config_main.yaml"), [ConfigOverride.Parse("index=nope")]));
        Assert.Contains("no option 'nope' in config group 'index'", unknown.Message, StringComparison.Ordinal);

        var notUsed = Assert.Throws<UsageException>(() => HydraComposition.Load(dir.File("config_main.yaml"), [ConfigOverride.Parse("hf=training")]));
        Assert.Contains("write +hf=", notUsed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpladeReadmeIndexLineRunsOnTheComposedToyConfiguration()
    {
        using var temp = new TempDirectory();
        // naver/splade's README: SPLADE_CONFIG_NAME=... python -m splade.index init_dict.model_type_or_dir=... config.pretrained_no_yamlconfig=true config.index_dir=...
        // data.COLLECTION_PATH exists only through the defaults (conf/index/toy.yaml), so overriding it proves the composition.
        var (code, _, err) = CommandRunner.RunProcess("SPLADE_CONFIG_NAME", "config_default.yaml", "index",
            $"init_dict.model_type_or_dir={Fixtures.TinySplade}", "config.pretrained_no_yamlconfig=true", $"config.index_dir={temp.File("index")}",
            $"data.COLLECTION_PATH={Fixtures.Data("splade-toy", "full_collection")}");

        Assert.True(code == 0, err);
        Assert.Equal(89, JsonDocument.Parse(File.ReadAllText(temp.File("index/meta.json"))).RootElement.GetProperty("documents").GetInt64());
    }
}
