using Disco.Cli.Commands;
using Disco.Cli.Configuration;
using Disco.Cli.Retrieval;
using Disco.Index;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>The seed README's Hydra command lines (python -m splade.index|hf_train --config-name=... key=value ...) run as disco verbs.</summary>
public sealed class HydraCommandLineTests
{
    private static readonly string DiscoYaml = Path.Combine(AppContext.BaseDirectory, "Configs", "disco_topiocqa_mistral_llama.yaml");

    [Fact]
    public void SeedReadmeIndexCommandBecomesIndexOptions()
    {
        var parse = ConfigurationTests.Resolve(
            IndexCommand.Create(),
            $"--config-name={DiscoYaml}", "init_dict.model_type_or_dir=naver/splade-cocondenser-ensembledistil",
            "config.pretrained_no_yamlconfig=true", "config.hf_training=false", "config.index_dir=/idx",
            "data.COLLECTION_PATH=DATA/full_wiki_segments_topiocqa.tsv", "config.index_retrieve_batch_size=128");
        Assert.Equal("naver/splade-cocondenser-ensembledistil", parse.GetValue<string?>("--model"));
        Assert.Equal("DATA/full_wiki_segments_topiocqa.tsv", parse.GetValue<string?>("--collection"));
        Assert.Equal("/idx", parse.GetValue<string?>("--out"));
        Assert.Equal(128, parse.GetValue<int>("--batch-size"));
        Assert.Equal(256, parse.GetValue<int>("--max-length"));
    }

    [Fact]
    public void SeedReadmeTrainCommandBecomesTrainOptions()
    {
        // torchrun ... -m splade.hf_train --config-name=disco_topiocqa_mistral_llama.yaml data.TRAIN.DATASET_PATH=... config.checkpoint_dir=...
        var parse = ConfigurationTests.Resolve(
            TrainCommand.Create(), ["disco"], "--config-name", DiscoYaml, "data.TRAIN.DATASET_PATH=DATA/topiocqa_distil/distil_run_top_llama_mistral.json", "config.checkpoint_dir=/ck");
        Assert.Equal("DATA/topiocqa_distil/distil_run_top_llama_mistral.json", parse.GetValue<string?>("--teacher-run"));
        Assert.Equal("/ck", parse.GetValue<string>("--out"));
        Assert.Equal("naver/splade-cocondenser-ensembledistil", parse.GetValue<string?>("--doc-model"));
        Assert.Equal("naver/splade-cocondenser-ensembledistil", parse.GetValue<string?>("--query-model"));
        Assert.Equal(2.0e-5, parse.GetValue<double>("--lr"));
        Assert.Equal(10, parse.GetValue<int>("--batch-size"));
        Assert.Equal(123, parse.GetValue<long>("--seed"));
        Assert.Equal(16, parse.GetValue<int>("--negatives"));
        Assert.Equal(5, parse.GetValue<int>("--epochs"));
        Assert.Equal(0.01, parse.GetValue<double>("--warmup-ratio"));
        Assert.Equal("10:960", parse.GetValue<string>("--rank-window"));
        Assert.Equal(0.0, parse.GetValue<double>("--lambda-d"));
        Assert.Equal(0.0, parse.GetValue<double>("--lambda-q"));
    }

    [Fact]
    public void QueryRegularisationFollowsDiscosL1Quirk()
    {
        Func<string, double> Run(params string[] extra)
        {
            var parse = ConfigurationTests.Resolve(TrainCommand.Create(), ["disco"], ["--config-name", DiscoYaml, "config.checkpoint_dir=/ck", "++config.regularizer.FLOPS.lambda_d=0.001", "++config.regularizer.FLOPS.T=50", .. extra]);
            return name => name.Contains("warmup", StringComparison.Ordinal) ? parse.GetValue<int>(name) : parse.GetValue<double>(name);
        }
        // L1.lambda_q without L1.T is overwritten by FLOPS.lambda_q (convertl2i2hf's except branch).
        var noT = Run("+config.regularizer.L1={lambda_q: 0.5}");
        Assert.Equal(0.0, noT("--lambda-q"));
        Assert.Equal(50, noT("--reg-warmup-q"));
        var withT = Run("+config.regularizer.L1={lambda_q: 0.5, T: 100}");
        Assert.Equal(0.5, withT("--lambda-q"));
        Assert.Equal(100, withT("--reg-warmup-q"));
        Assert.Equal(0.001, withT("--lambda-d"));
        Assert.Equal(50, withT("--reg-warmup-d"));
    }

    [Fact]
    public void ExplicitFlagsWinAndPlainCommandLinesPassUnchanged()
    {
        var parse = ConfigurationTests.Resolve(IndexCommand.Create(), "--config-name", DiscoYaml, "config.index_dir=/idx", "--out", "/mine");
        Assert.Equal("/mine", parse.GetValue<string?>("--out"));
        var plain = ConfigurationTests.Resolve(IndexCommand.Create(), "--vectors", "v.jsonl", "--out", "idx");
        Assert.Null(CommandConfiguration.Resolution(plain));
        Assert.Equal("idx", plain.GetValue<string?>("--out"));
    }

    [Fact]
    public void SeedReadmeIndexCommandBuildsTheSameIndexAsTheLibrary()
    {
        using var dir = new TempDirectory();
        var collection = Path.Combine(QuickstartSample.WriteTo(dir.File("data")), "collection.tsv");
        Assert.Equal(0, CommandRunner.Run(IndexCommand.Create(),
            "index", $"--config-name={DiscoYaml}", $"init_dict.model_type_or_dir={Fixtures.TinySplade}",
            "config.pretrained_no_yamlconfig=true", "config.hf_training=false", $"config.index_dir={dir.File("hydra")}",
            $"data.COLLECTION_PATH={collection}", "config.index_retrieve_batch_size=128"));
        using (var encoder = SpladeEncoder.Load(Fixtures.TinySplade))
            IndexBuilder.FromCollection(collection, encoder, dir.File("library"));
        using var hydra = SparseIndex.Open(dir.File("hydra"));
        using var library = SparseIndex.Open(dir.File("library"));
        Assert.Equal(library.DocumentCount, hydra.DocumentCount);
        Assert.Equal(library.PostingCount, hydra.PostingCount);
        Assert.Equal(Enumerable.Range(0, library.TermCount).Select(library.Term), Enumerable.Range(0, hydra.TermCount).Select(hydra.Term));
    }
}
