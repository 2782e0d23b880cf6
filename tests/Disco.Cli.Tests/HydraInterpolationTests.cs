using Disco.Cli.Commands;
using Disco.Cli.Configuration;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>OmegaConf interpolation (<c>${a.b}</c>, relative keys, <c>${oc.env:VAR[,default]}</c>) in composed Hydra configurations, on files written for these tests.</summary>
public sealed class HydraInterpolationTests
{
    private static ConfigTree Compose(string yaml, params string[] overrides)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("conf.yaml"), yaml);
        return HydraComposition.Compose(dir.File("conf.yaml"), [.. overrides.Select(ConfigOverride.Parse)]);
    }

    private static object? Get(ConfigTree tree, string key) => tree.TryGet(key, out var value) ? value : throw new KeyNotFoundException(key);

    [Fact]
    public void AbsoluteAndRelativeReferencesResolveAfterTheOverrides()
    {
        var tree = Compose("""
            config:
              out_dir: /runs/a
              index_dir: ${config.out_dir}/index
              checkpoint_dir: ${.out_dir}/ckpt
              lists: ${data.paths}
              first: ${data.paths[0]}
              top: ${..data.name}
              literal: \${config.out_dir}
            data:
              name: toy
              paths: [q1.tsv, q2.tsv]
            """, "config.out_dir=/runs/b");

        Assert.Equal("/runs/b/index", Get(tree, "config.index_dir"));
        Assert.Equal("/runs/b/ckpt", Get(tree, "config.checkpoint_dir"));
        // A value that is exactly one interpolation is the referenced value itself: a list stays a list (a copy).
        Assert.Equal(new List<object?> { "q1.tsv", "q2.tsv" }, Get(tree, "config.lists"));
        Assert.NotSame(Get(tree, "data.paths"), Get(tree, "config.lists"));
        Assert.Equal("q1.tsv", Get(tree, "config.first"));
        Assert.Equal("toy", Get(tree, "config.top"));
        Assert.Equal("${config.out_dir}", Get(tree, "config.literal"));
    }

    [Fact]
    public void ChainedAndNestedReferencesResolveInAnyOrder()
    {
        var tree = Compose("""
            a: ${b}/x
            b: ${c}
            c: root
            which: c
            nested: ${${which}}
            """);
        Assert.Equal("root/x", Get(tree, "a"));
        Assert.Equal("root", Get(tree, "nested"));
    }

    [Fact]
    public void EnvironmentVariablesAndTheirDefaults()
    {
        var name = "DISCO_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "/data/from-env");
        try
        {
            var tree = Compose($$"""
                set: ${oc.env:{{name}}}/collection
                unset: ${oc.env:{{name}}_NO,fallback}
                quoted: ${oc.env:{{name}}_NO,'a b'}
                none: ${oc.env:{{name}}_NO,null}
                """);
            Assert.Equal("/data/from-env/collection", Get(tree, "set"));
            Assert.Equal("fallback", Get(tree, "unset"));
            Assert.Equal("a b", Get(tree, "quoted"));
            Assert.Null(Get(tree, "none"));
            var e = Assert.Throws<UsageException>(() => Compose($"x:\n  y: ${{oc.env:{name}_NO}}\n"));
            Assert.Contains($"x.y: ${{oc.env:{name}_NO}}: environment variable {name}_NO is not set", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void ACycleIsAOneLineErrorNamingTheKeys()
    {
        var e = Assert.Throws<UsageException>(() => Compose("config:\n  a: ${config.b}\n  b: x${config.a}\n"));
        Assert.EndsWith("config.a: interpolation cycle: config.a -> config.b -> config.a", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<UsageException>(() => Compose("a:\n  b: ${a}\n"));
    }

    [Fact]
    public void AnUnknownReferenceIsAOneLineErrorNamingTheKey()
    {
        var e = Assert.Throws<UsageException>(() => Compose("config:\n  index_dir: ${config.out}/index\n"));
        Assert.EndsWith("conf.yaml: config.index_dir: ${config.out} refers to 'config.out', which the configuration does not have", e.Message, StringComparison.Ordinal);
        Assert.Contains("resolver 'oc.decode' is not supported", Assert.Throws<UsageException>(() => Compose("a: ${oc.decode:1}\n")).Message, StringComparison.Ordinal);
        Assert.Contains("unterminated", Assert.Throws<UsageException>(() => Compose("a: ${b\nb: 1\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReferenceToAPlaceholderIsAPlaceholder()
    {
        var tree = Compose("config:\n  checkpoint_dir: ???\n  model: ${config.checkpoint_dir}/model\n");
        Assert.Equal("???", Get(tree, "config.model"));
    }

    [Fact]
    public void VerbsReadInterpolatedHydraValues()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("conf.yaml"), """
            init_dict:
              model_type_or_dir: naver/splade-cocondenser-ensembledistil
            config:
              out_dir: /exp
              index_dir: ${config.out_dir}/index
              index_retrieve_batch_size: 64
              pretrained_no_yamlconfig: true
              hf_training: false
            data:
              COLLECTION_PATH: ${config.out_dir}/collection.tsv
            """);
        var parse = ConfigurationTests.Resolve(IndexCommand.Create(), $"--config-name={dir.File("conf.yaml")}", "config.out_dir=/other");
        Assert.Equal("/other/index", parse.GetValue<string?>("--out"));
        Assert.Equal("/other/collection.tsv", parse.GetValue<string?>("--collection"));
    }
}
