using System.CommandLine;
using Disco.Cli.Configuration;
using Disco.Core.Conversations;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

public sealed class ConfigurationTests
{
    private static readonly string DiscoYaml = Path.Combine(AppContext.BaseDirectory, "Configs", "disco_topiocqa_mistral_llama.yaml");

    private static ResolvedConfiguration<T> Resolve<T>(string verb, params string[] args) where T : class, new()
    {
        var command = new Command(verb);
        var configuration = new CommandConfiguration();
        configuration.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return configuration.Resolve<T>(parse, verb);
    }

    [Fact]
    public void SeedReadmeIndexCommandMapsOneToOne()
    {
        // python -m splade.index --config-name=disco_topiocqa_mistral_llama.yaml ... (spec §4)
        var resolved = Resolve<HydraIndexSettings>(
            "index",
            $"--config-name={DiscoYaml}",
            "init_dict.model_type_or_dir=naver/splade-cocondenser-ensembledistil",
            "config.pretrained_no_yamlconfig=true",
            "config.hf_training=false",
            "config.index_dir=/idx/topiocqa",
            "data.COLLECTION_PATH=DATA/full_wiki_segments_topiocqa.tsv",
            "config.index_retrieve_batch_size=128");
        var s = resolved.Settings;
        Assert.Equal("naver/splade-cocondenser-ensembledistil", s.Model);
        Assert.Equal("/idx/topiocqa", s.Index);
        Assert.Equal("DATA/full_wiki_segments_topiocqa.tsv", s.Collection);
        Assert.Equal(128, s.BatchSize);
        Assert.Equal(256, s.MaxLength);
        Assert.Empty(resolved.SkippedHydraKeys);
    }

    [Fact]
    public void RetrieveWithHubQueryModelUsesIt()
    {
        var s = Resolve<RetrieveSettings>(
            "retrieve",
            "--config-name", DiscoYaml,
            "init_dict.model_type_or_dir_q=slupart/splade-disco-topiocqa-mistral",
            "config.pretrained_no_yamlconfig=true",
            "config.hf_training=false",
            "config.index_dir=/idx",
            "config.out_dir=/out").Settings;
        Assert.Equal("slupart/splade-disco-topiocqa-mistral", s.QueryModel);
        Assert.Equal(["DATA/topiocqa_topics/queries_rowid_dev_all.tsv"], s.Queries);
        Assert.Equal(["DATA/topiocqa_topics/qrel_rowid_dev.json"], s.Qrels);
        Assert.Equal(["mrr_10", "mrr_1000", "recall"], s.Metrics);
        Assert.Equal(["TOPIOCQA"], s.Names);
        Assert.Equal(1000, s.TopK);
        Assert.Equal(0f, s.Threshold);
        Assert.Equal("/out", s.Out);
    }

    [Fact]
    public void HfTrainingCheckpointGivesModelAndQueryFolders()
    {
        var s = Resolve<RetrieveSettings>("retrieve", "--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "config.index_dir=/idx", "config.out_dir=/out").Settings;
        Assert.Equal(Path.Combine("/ck", "model", "query"), s.QueryModel);
        var shared = Resolve<RetrieveSettings>("retrieve", "--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "config.index_dir=/idx", "config.out_dir=/out", "init_dict.model_type_or_dir_q=null").Settings;
        Assert.Equal(Path.Combine("/ck", "model"), shared.QueryModel);
    }

    [Fact]
    public void PlaceholdersMustBeFilled()
    {
        var e = Assert.Throws<UsageException>(() => Resolve<RetrieveSettings>("retrieve", "--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "config.out_dir=/out"));
        Assert.Contains("config.index_dir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HydraRefusesNewKeysWithoutPlus()
    {
        var e = Assert.Throws<UsageException>(() => Resolve<RetrieveSettings>("retrieve", "--config-name", DiscoYaml, "config.quantization_factor_document=100"));
        Assert.Contains("+config.quantization_factor_document", e.Message, StringComparison.Ordinal);
        var added = Resolve<RetrieveSettings>("retrieve", "--config-name", DiscoYaml, "+config.quantization_factor_document=100", "config.index_dir=/i", "config.out_dir=/o", "config.checkpoint_dir=/c");
        Assert.True(added.Hydra!.TryGet("config.quantization_factor_document", out var v));
        Assert.Equal("100", v);
        Assert.Throws<UsageException>(() => Resolve<RetrieveSettings>("retrieve", "--config-name", DiscoYaml, "+config.top_k=5"));
        var forced = Resolve<RetrieveSettings>("retrieve", "--config-name", DiscoYaml, "++config.top_k=5", "config.index_dir=/i", "config.out_dir=/o", "config.checkpoint_dir=/c");
        Assert.Equal(5, forced.Settings.TopK);
    }

    [Fact]
    public void PrecedenceIsDefaultsThenFileThenSet()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("r.yaml"), "top_k: 50\nmax_length: 128\nqueries: [a.tsv, b.tsv]\nflatten: last_question\n");
        var s = Resolve<RetrieveSettings>("retrieve", "--config", dir.File("r.yaml"), "--set", "top_k=7").Settings;
        Assert.Equal(7, s.TopK);
        Assert.Equal(128, s.MaxLength);
        Assert.Equal(32, s.BatchSize);
        Assert.Equal(["a.tsv", "b.tsv"], s.Queries);
        Assert.Equal(FlatteningMode.LastQuestion, s.Flatten);
    }

    [Fact]
    public void SavedConfigurationLoadsBackToTheSameSettings()
    {
        using var dir = new TempDirectory();
        var first = Resolve<RetrieveSettings>("retrieve", "--set", "top_k=9", "--set", "queries=[x.tsv]", "--set", "threshold=0.5", "--set", "flatten=questions_only");
        first.Save(dir.Path);
        var again = Resolve<RetrieveSettings>("retrieve", "--config", dir.File(CommandConfiguration.ResolvedFileName)).Settings;
        Assert.Equal(SettingsBinder.ToTree(first.Settings).ToYaml(), SettingsBinder.ToTree(again).ToYaml());
        Assert.Equal(0.5f, again.Threshold);
        Assert.Equal(FlatteningMode.QuestionsOnly, again.Flatten);
    }

    [Theory]
    [InlineData("nope=1", "unknown configuration key 'nope'")]
    [InlineData("top_k=many", "top_k: 'many' is not a valid int32")]
    [InlineData("flatten=sideways", "flatten: 'sideways' is not one of full, last_question, questions_only")]
    [InlineData("top_k=[1,2]", "top_k: expected a single value, found a list")]
    public void BadSettingsNameTheKey(string set, string message)
    {
        var e = Assert.Throws<UsageException>(() => Resolve<RetrieveSettings>("retrieve", "--set", set));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitsOverrideSyntax()
    {
        Assert.Equal(new ConfigOverride("a.b", "1", false, false), ConfigOverride.Parse("a.b=1"));
        Assert.Equal(new ConfigOverride("a.b", "x=y", true, false), ConfigOverride.Parse("+a.b=x=y"));
        Assert.Equal(new ConfigOverride("a", "", true, true), ConfigOverride.Parse("++a="));
        Assert.Throws<UsageException>(() => ConfigOverride.Parse("a..b=1"));
        Assert.Equal(new List<object?> { "a", "b" }, ConfigTree.ParseValue("[a, b]"));
        Assert.Null(ConfigTree.ParseValue("null"));
        Assert.Equal("null", ConfigTree.ParseValue("'null'"));
    }
}
