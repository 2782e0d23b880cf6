using System.CommandLine;
using Disco.Cli.Commands;
using Disco.Cli.Configuration;
using Disco.Core.Conversations;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

public sealed class ConfigurationTests
{
    private static readonly string DiscoYaml = Path.Combine(AppContext.BaseDirectory, "Configs", "disco_topiocqa_mistral_llama.yaml");

    /// <summary>Parses <paramref name="args"/> for <paramref name="verb"/> with its configuration applied, as the CLI does.</summary>
    internal static ParseResult Resolve(Command verb, params string[] args) => Resolve(verb, [], args);

    /// <summary>Parses <c>verb subcommands... args</c> (e.g. <c>train disco ...</c>) and applies its configuration.</summary>
    internal static ParseResult Resolve(Command verb, string[] subcommands, params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(verb);
        CommandConfiguration.AddToAll(root);
        string[] all = [verb.Name, .. subcommands, .. args];
        var parse = CommandConfiguration.Apply(root.Parse(all), all);
        Assert.Empty(parse.Errors);
        return parse;
    }

    private static ParseResult Retrieve(params string[] args) => Resolve(RetrieveCommand.Create(), args);

    /// <summary>A verb shaped like the index verb, to check the Hydra mapping in isolation.</summary>
    private static Command IndexLike()
    {
        var command = new Command("index")
        {
            new Option<string?>("--model"), new Option<string?>("--collection"), new Option<string?>("--out"),
            new Option<int>("--max-length") { DefaultValueFactory = _ => 512 }, new Option<int>("--batch-size") { DefaultValueFactory = _ => 8 },
        };
        command.SetAction(_ => 0);
        return command;
    }

    [Fact]
    public void SeedReadmeIndexCommandMapsOneToOne()
    {
        // python -m splade.index --config-name=disco_topiocqa_mistral_llama.yaml ... (spec §4)
        var parse = Resolve(
            IndexLike(),
            $"--config-name={DiscoYaml}",
            "init_dict.model_type_or_dir=naver/splade-cocondenser-ensembledistil",
            "config.pretrained_no_yamlconfig=true",
            "config.hf_training=false",
            "config.index_dir=/idx/topiocqa",
            "data.COLLECTION_PATH=DATA/full_wiki_segments_topiocqa.tsv",
            "config.index_retrieve_batch_size=128");
        Assert.Equal("naver/splade-cocondenser-ensembledistil", parse.GetValue<string?>("--model"));
        Assert.Equal("/idx/topiocqa", parse.GetValue<string?>("--out"));
        Assert.Equal("DATA/full_wiki_segments_topiocqa.tsv", parse.GetValue<string?>("--collection"));
        Assert.Equal(128, parse.GetValue<int>("--batch-size"));
        Assert.Equal(256, parse.GetValue<int>("--max-length"));
        Assert.Empty(CommandConfiguration.Resolution(parse)!.SkippedHydraKeys);
    }

    [Fact]
    public void RetrieveWithHubQueryModelUsesIt()
    {
        var s = Retrieve(
            "--config-name", DiscoYaml,
            "init_dict.model_type_or_dir_q=slupart/splade-disco-topiocqa-mistral",
            "config.pretrained_no_yamlconfig=true",
            "config.hf_training=false",
            "config.index_dir=/idx",
            "config.out_dir=/out");
        Assert.Equal("slupart/splade-disco-topiocqa-mistral", s.GetValue<string?>("--model"));
        Assert.Equal(["DATA/topiocqa_topics/queries_rowid_dev_all.tsv"], s.GetValue<string[]>("--queries")!);
        Assert.Equal(["DATA/topiocqa_topics/qrel_rowid_dev.json"], s.GetValue<string[]>("--qrels")!);
        Assert.Equal(["mrr_10", "mrr_1000", "recall"], s.GetValue<string[]>("--measure")!);
        Assert.Equal(["TOPIOCQA"], s.GetValue<string[]>("--name")!);
        Assert.Equal(1000, s.GetValue<int>("--top-k"));
        Assert.Equal(0f, s.GetValue<float>("--threshold"));
        Assert.Equal("/out", s.GetValue<string?>("--out"));
    }

    [Fact]
    public void HfTrainingCheckpointGivesModelAndQueryFolders()
    {
        var s = Retrieve("--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "config.index_dir=/idx", "config.out_dir=/out");
        Assert.Equal(Path.Combine("/ck", "model", "query"), s.GetValue<string?>("--model"));
        var shared = Retrieve("--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "config.index_dir=/idx", "config.out_dir=/out", "init_dict.model_type_or_dir_q=null");
        Assert.Equal(Path.Combine("/ck", "model"), shared.GetValue<string?>("--model"));
    }

    [Fact]
    public void PlaceholdersMustBeFilled()
    {
        var e = Assert.Throws<UsageException>(() => Retrieve("--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "config.out_dir=/out"));
        Assert.Contains("config.index_dir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HydraRefusesNewKeysWithoutPlus()
    {
        var e = Assert.Throws<UsageException>(() => Retrieve("--config-name", DiscoYaml, "config.quantization_factor_document=100"));
        Assert.Contains("+config.quantization_factor_document", e.Message, StringComparison.Ordinal);
        var added = Retrieve("--config-name", DiscoYaml, "+config.quantization_factor_document=100", "config.index_dir=/i", "config.out_dir=/o", "config.checkpoint_dir=/c");
        Assert.True(CommandConfiguration.Resolution(added)!.Hydra!.TryGet("config.quantization_factor_document", out var v));
        Assert.Equal("100", v);
        Assert.Throws<UsageException>(() => Retrieve("--config-name", DiscoYaml, "+config.top_k=5"));
        var forced = Retrieve("--config-name", DiscoYaml, "++config.top_k=5", "config.index_dir=/i", "config.out_dir=/o", "config.checkpoint_dir=/c");
        Assert.Equal(5, forced.GetValue<int>("--top-k"));
    }

    [Fact]
    public void PrecedenceIsDefaultsThenFileThenSetThenFlags()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("r.yaml"), "top_k: 50\nmax_length: 128\nqueries: [a.tsv, b.tsv]\nflatten: last_question\nthreshold: 0.25\n");
        var s = Retrieve("--config", dir.File("r.yaml"), "--set", "top_k=7", "--threshold", "0.5");
        Assert.Equal(7, s.GetValue<int>("--top-k"));
        Assert.Equal(128, s.GetValue<int>("--max-length"));
        Assert.Equal(32, s.GetValue<int>("--batch-size"));
        Assert.Equal(["a.tsv", "b.tsv"], s.GetValue<string[]>("--queries")!);
        Assert.Equal(FlatteningMode.LastQuestion, s.GetValue<FlatteningMode>("--flatten"));
        Assert.Equal(0.5f, s.GetValue<float>("--threshold"));
    }

    [Fact]
    public void SavedConfigurationLoadsBackToTheSameSettings()
    {
        using var dir = new TempDirectory();
        var first = Retrieve("--set", "top_k=9", "--set", "queries=[x.tsv]", "--set", "threshold=0.5", "--set", "flatten=questions_only");
        CommandConfiguration.Save(first, dir.File("first"));
        var again = Retrieve("--config", dir.File("first/" + CommandConfiguration.ResolvedFileName));
        CommandConfiguration.Save(again, dir.File("again"));
        static string Body(string path) => string.Join('\n', File.ReadLines(path).Where(l => !l.StartsWith('#')));
        Assert.Equal(Body(dir.File("first/" + CommandConfiguration.ResolvedFileName)), Body(dir.File("again/" + CommandConfiguration.ResolvedFileName)));
        Assert.Equal(0.5f, again.GetValue<float>("--threshold"));
        Assert.Equal(FlatteningMode.QuestionsOnly, again.GetValue<FlatteningMode>("--flatten"));
        Assert.Equal(["x.tsv"], again.GetValue<string[]>("--queries")!);
    }

    [Theory]
    [InlineData("nope=1", "unknown configuration key 'nope'")]
    [InlineData("top_k=many", "'many'")]
    [InlineData("flatten=sideways", "'sideways' is not a flattening: full, last_question or questions_only")]
    [InlineData("top_k=[1,2]", "--top-k")]
    public void BadSettingsNameTheKey(string set, string message)
    {
        var e = Assert.Throws<UsageException>(() => Retrieve("--set", set));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryVerbTakesConfigurationAndOldSpellingsStillWork()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("s.yaml"), "history: last\nk: 5\n");
        var search = Resolve(SearchCommand.Create(), "--config", dir.File("s.yaml"), "--index", "i", "--queries", "q", "--out", "o");
        Assert.Equal(FlatteningMode.LastQuestion, search.GetValue<FlatteningMode>("--history"));
        Assert.Equal(5, search.GetValue<int>("--k"));
        var encode = Resolve(EncodeCommand.Create(), "--set", "max_terms=3", "--set", "model=m", "--input", "x", "--output", "y");
        Assert.Equal(3, encode.GetValue<int?>("--max-terms"));
        Assert.Equal("m", encode.GetValue<string?>("--model"));
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
