using System.CommandLine;
using Disco.Cli.Commands;
using Disco.Cli.Configuration;

namespace Disco.Cli.Tests;

public sealed class HydraArgumentsTests
{
    private static readonly string DiscoYaml = Path.Combine(AppContext.BaseDirectory, "Configs", "disco_topiocqa_mistral_llama.yaml");

    private static Dictionary<string, string> Flags(string[] args)
    {
        var flags = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Length; i += 2)
            flags[args[i]] = args[i + 1];
        return flags;
    }

    [Fact]
    public void SeedReadmeIndexCommandBecomesIndexFlags()
    {
        var args = HydraArguments.Rewrite(
        [
            "index", $"--config-name={DiscoYaml}", "init_dict.model_type_or_dir=naver/splade-cocondenser-ensembledistil",
            "config.pretrained_no_yamlconfig=true", "config.hf_training=false", "config.index_dir=/idx",
            "data.COLLECTION_PATH=DATA/full_wiki_segments_topiocqa.tsv", "config.index_retrieve_batch_size=128",
        ]);
        Assert.Equal("index", args[0]);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["--model"] = "naver/splade-cocondenser-ensembledistil",
                ["--collection"] = "DATA/full_wiki_segments_topiocqa.tsv",
                ["--out"] = "/idx",
                ["--batch-size"] = "128",
                ["--max-length"] = "256",
            },
            Flags(args));
    }

    [Fact]
    public void SeedReadmeTrainCommandBecomesTrainFlagsThatParse()
    {
        // torchrun ... -m splade.hf_train --config-name=disco_topiocqa_mistral_llama.yaml data.TRAIN.DATASET_PATH=... config.checkpoint_dir=...
        var args = HydraArguments.Rewrite(
            ["train", "--config-name", DiscoYaml, "data.TRAIN.DATASET_PATH=DATA/topiocqa_distil/distil_run_top_llama_mistral.json", "config.checkpoint_dir=/ck"]);
        var flags = Flags(args);
        Assert.Equal("DATA/topiocqa_distil/distil_run_top_llama_mistral.json", flags["--teacher-run"]);
        Assert.Equal("/ck", flags["--out"]);
        Assert.Equal("naver/splade-cocondenser-ensembledistil", flags["--doc-model"]);
        Assert.Equal("naver/splade-cocondenser-ensembledistil", flags["--query-model"]);
        Assert.Equal("2.0e-5", flags["--lr"]);
        Assert.Equal("10", flags["--batch-size"]);
        Assert.Equal("123", flags["--seed"]);
        Assert.Equal("16", flags["--negatives"]);
        Assert.Equal("5", flags["--epochs"]);
        Assert.Equal("0.01", flags["--warmup-ratio"]);
        Assert.Equal("10:960", flags["--rank-window"]);
        Assert.Equal("0.0", flags["--lambda-d"]);
        Assert.Equal("0.0", flags["--lambda-q"]);
        // The rewritten line runs through the `train` alias as `train disco ...`; every flag must parse there.
        var root = new RootCommand();
        root.Subcommands.Add(TrainCommand.Create());
        var parse = root.Parse(["train", "disco", .. args.Skip(1)]);
        Assert.Empty(parse.Errors);
        Assert.Equal("disco", parse.CommandResult.Command.Name);
    }

    [Fact]
    public void QueryRegularisationFollowsDiscosL1Quirk()
    {
        string[] Run(params string[] extra) => HydraArguments.Rewrite(["train", "--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "++config.regularizer.FLOPS.lambda_d=0.001", "++config.regularizer.FLOPS.T=50", .. extra]);
        // L1.lambda_q without L1.T is overwritten by FLOPS.lambda_q (convertl2i2hf's except branch).
        var noT = Flags(Run("+config.regularizer.L1={lambda_q: 0.5}"));
        Assert.Equal("0.0", noT["--lambda-q"]);
        Assert.Equal("50", noT["--reg-warmup-q"]);
        var withT = Flags(Run("+config.regularizer.L1={lambda_q: 0.5, T: 100}"));
        Assert.Equal("0.5", withT["--lambda-q"]);
        Assert.Equal("100", withT["--reg-warmup-q"]);
        Assert.Equal("0.001", withT["--lambda-d"]);
        Assert.Equal("50", withT["--reg-warmup-d"]);
    }

    [Fact]
    public void ExplicitFlagsWinAndPlainCommandLinesPassUnchanged()
    {
        var args = HydraArguments.Rewrite(["index", "--config-name", DiscoYaml, "config.index_dir=/idx", "--out", "/mine"]);
        Assert.Equal(["/mine"], args.Select((a, i) => (a, i)).Where(p => p.i > 0 && args[p.i - 1] == "--out").Select(p => p.a));
        string[] plain = ["index", "--vectors", "v.jsonl", "--out", "idx"];
        Assert.Same(plain, HydraArguments.Rewrite(plain));
        string[] retrieve = ["retrieve", "--config-name", DiscoYaml];
        Assert.Same(retrieve, HydraArguments.Rewrite(retrieve));
    }

    [Fact]
    public void SeedReadmeIndexCommandBuildsTheSameIndexAsTheLibrary()
    {
        using var dir = new Disco.TestSupport.TempDirectory();
        var collection = System.IO.Path.Combine(Retrieval.QuickstartSample.WriteTo(dir.File("data")), "collection.tsv");
        var args = HydraArguments.Rewrite(
        [
            "index", $"--config-name={DiscoYaml}", $"init_dict.model_type_or_dir={Disco.TestSupport.Fixtures.TinySplade}",
            "config.pretrained_no_yamlconfig=true", "config.hf_training=false", $"config.index_dir={dir.File("hydra")}",
            $"data.COLLECTION_PATH={collection}", "config.index_retrieve_batch_size=128",
        ]);
        Assert.Equal(0, CommandRunner.Run(IndexCommand.Create(), args));
        using (var encoder = Disco.Modeling.SpladeEncoder.Load(Disco.TestSupport.Fixtures.TinySplade))
            Disco.Index.IndexBuilder.FromCollection(collection, encoder, dir.File("library"));
        using var hydra = Disco.Index.SparseIndex.Open(dir.File("hydra"));
        using var library = Disco.Index.SparseIndex.Open(dir.File("library"));
        Assert.Equal(library.DocumentCount, hydra.DocumentCount);
        Assert.Equal(library.PostingCount, hydra.PostingCount);
        Assert.Equal(Enumerable.Range(0, library.TermCount).Select(library.Term), Enumerable.Range(0, hydra.TermCount).Select(hydra.Term));
    }
}
