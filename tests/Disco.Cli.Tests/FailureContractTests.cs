using System.CommandLine;
using Disco.Cli.Commands;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>
/// Issue 15's failure contract through the verbs: empty inputs and bad values are one-line errors
/// with exit 1 or 2 and leave the earlier output as it was; nothing crashes with a trace; output
/// folders are written as a unit.
/// </summary>
public sealed class FailureContractTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand();
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(RetrieveCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        return CliErrors.Run(root, args);
    }

    private static readonly string[] Vocabulary = ["apple", "banana", "cherry", "date"];

    private static TempDirectory IndexedCollection()
    {
        var dir = new TempDirectory();
        var rng = new Random(5);
        VectorFile.Write(dir.File("docs.jsonl"), Enumerable.Range(0, 30).Select(i => new TermVector(
            $"d{i}", [.. Vocabulary.Where((_, j) => (i + j) % 3 != 0)], [.. Vocabulary.Where((_, j) => (i + j) % 3 != 0).Select(_ => (float)rng.NextDouble() + 0.1f)])));
        VectorFile.Write(dir.File("queries.jsonl"), [new TermVector("q1", ["apple", "cherry"], [1f, 0.5f]), new TermVector("q2", ["date"], [2f])]);
        File.WriteAllText(dir.File("empty.jsonl"), "");
        Assert.Equal(0, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("index")));
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("run.txt"), "--k", "10"));
        return dir;
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void EmptyInputsAreErrorsAndTheEarlierOutputsStay()
    {
        using var dir = IndexedCollection();
        var index = Snapshot(dir.File("index"));
        var run = File.ReadAllBytes(dir.File("run.txt"));

        Assert.Equal(1, Run("index", "--vectors", dir.File("empty.jsonl"), "--out", dir.File("index")));
        Assert.Equal(1, Run("search", "--index", dir.File("index"), "--queries", dir.File("empty.jsonl"), "--out", dir.File("run.txt")));

        Assert.Equal(index, Snapshot(dir.File("index")));
        Assert.Equal(run, File.ReadAllBytes(dir.File("run.txt")));
        Assert.Empty(Directory.GetDirectories(dir.Path, "index.tmp-*"));
    }

    [Fact]
    public void EncodingAnEmptyFileKeepsTheEarlierVectors()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("texts.tsv"), "d1\thello world\n");
        File.WriteAllText(dir.File("empty.tsv"), "\n");
        Assert.Equal(0, Run("encode", "--model", Fixtures.TinySplade, "--input", dir.File("texts.tsv"), "--output", dir.File("v.jsonl")));
        var vectors = File.ReadAllBytes(dir.File("v.jsonl"));
        Assert.Equal(1, Run("encode", "--model", Fixtures.TinySplade, "--input", dir.File("empty.tsv"), "--output", dir.File("v.jsonl")));
        Assert.Equal(vectors, File.ReadAllBytes(dir.File("v.jsonl")));

        // top-k 0 would write vectors without a term; a missing folder above the output is not created.
        Assert.Equal(1, Run("encode", "--model", Fixtures.TinySplade, "--input", dir.File("texts.tsv"), "--output", dir.File("v.jsonl"), "--top-k", "0"));
        Assert.Equal(2, Run("encode", "--model", Fixtures.TinySplade, "--input", dir.File("texts.tsv"), "--output", dir.File("no/such/v.jsonl")));
        Assert.False(Directory.Exists(dir.File("no")));
    }

    [Theory]
    [InlineData("--threads", "0")]
    [InlineData("--query-min-weight", "NaN")]
    [InlineData("--query-min-weight", "-1")]
    [InlineData("--query-max-terms", "0")]
    public void OutOfRangeSearchValuesAreUsageErrors(string option, string value)
    {
        using var dir = IndexedCollection();
        Assert.Equal(2, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("other.txt"), option, value));
        Assert.False(File.Exists(dir.File("other.txt")));
    }

    [Fact]
    public void AHugeKReturnsEveryMatchingDocumentLikeAnyKAboveTheirCount()
    {
        using var dir = IndexedCollection();
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("huge.txt"), "--k", "1073741824", "--threads", "2"));
        Assert.Equal(0, Run("search", "--index", dir.File("index"), "--queries", dir.File("queries.jsonl"), "--out", dir.File("all.txt"), "--k", "30"));
        Assert.Equal(File.ReadAllText(dir.File("all.txt")), File.ReadAllText(dir.File("huge.txt")));
    }

    [Fact]
    public void AnIndexAtTheFilesystemRootOrUnderAMissingFolderIsRefused()
    {
        using var dir = IndexedCollection();
        Assert.Equal(1, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", "/"));
        Assert.Equal(1, Run("index", "--vectors", dir.File("docs.jsonl"), "--out", dir.File("no/such/index")));
        Assert.False(Directory.Exists(dir.File("no")));
    }

    [Theory]
    [InlineData("a: &x [*x]\n")]
    [InlineData("a: &x\n  b: *x\n")]
    [InlineData("a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n")]
    public void SelfReferentialOrExplodingYamlIsAnErrorNotAStackOverflow(string yaml)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.yaml"), yaml);
        Assert.Equal(1, Run("convert", "--config", dir.File("c.yaml")));
        Assert.Equal(1, Run("index", "--config-name", dir.File("c.yaml")));
    }

    [Fact]
    public void HydraErrorsInTheArgumentRewriteAreOneLineErrors()
    {
        using var dir = new TempDirectory();
        Assert.NotEqual(0, Run("index", "--config-name", dir.File("missing.yaml")));
        File.WriteAllText(dir.File("unset.yaml"), "config:\n  index_dir: ???\n");
        Assert.NotEqual(0, Run("index", "--config-name", dir.File("unset.yaml")));
    }

    [Fact]
    public void ConvertReplacesItsFolderAsAUnit()
    {
        using var dir = new TempDirectory();
        var topics = Fixtures.Data("cast2019", "evaluation_topics_v1.0.json");
        var output = dir.File("cast");
        Assert.Equal(0, Run("convert", "cast", "--topics", topics, "--qrels", Fixtures.Data("cast2019", "qrels.txt"), "--out", output));
        Assert.True(File.Exists(Path.Combine(output, "qrels.trec")));
        var before = Snapshot(output);

        // A conversion that fails (topics giving one turn number twice) leaves the folder as it was.
        File.WriteAllText(dir.File("bad.json"), """[{"number": 1, "turn": [{"number": 1, "raw_utterance": "a"}, {"number": 1, "raw_utterance": "b"}]}]""");
        Assert.Equal(1, Run("convert", "cast", "--topics", dir.File("bad.json"), "--out", output));
        Assert.Equal(before, Snapshot(output));
        Assert.Equal(2, Run("convert", "cast", "--topics", topics, "--out", output, "--set", "max_previous_turns=-1"));
        Assert.Equal(before, Snapshot(output));

        // A rerun without qrels leaves no qrels of the earlier run beside a configuration without any,
        // and removes a leftover of an interrupted run.
        Directory.CreateDirectory(output + ".tmp-leftover");
        Assert.Equal(0, Run("convert", "cast", "--topics", topics, "--out", output));
        Assert.False(File.Exists(Path.Combine(output, "qrels.trec")));
        Assert.False(File.Exists(Path.Combine(output, "qrels.json")));
        Assert.Equal(["cast"], Directory.GetDirectories(dir.Path).Select(Path.GetFileName));

        // A folder with files convert does not write is not replaced.
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        Assert.Equal(1, Run("convert", "cast", "--topics", topics, "--out", output));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public void RetrieveChecksItsInputsBeforeLoadingAnything()
    {
        using var dir = IndexedCollection();
        Directory.CreateDirectory(dir.File("a"));
        Directory.CreateDirectory(dir.File("b"));
        File.WriteAllText(dir.File("a/queries.tsv"), "q1\tapple\n");
        File.WriteAllText(dir.File("b/queries.tsv"), "q1\tdate\n");
        File.WriteAllText(dir.File("empty.tsv"), "");
        // The model does not exist: each error below must come before it is looked for.
        var common = new[] { "retrieve", "--index", dir.File("index"), "--model", dir.File("no-model"), "--out", dir.File("out") };
        Assert.Equal(2, Run([.. common, "--queries", dir.File("a/queries.tsv"), "--queries", dir.File("b/queries.tsv")]));
        Assert.Equal(1, Run([.. common, "--queries", dir.File("empty.tsv")]));
        Assert.Equal(1, Run([.. common, "--queries", dir.File("a/queries.tsv"), "--qrels", dir.File("missing.qrels")]));
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void TrainRefusesAnOutputHoldingAnEarlierRunWithoutResumeOrOverwrite()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        string[] train = ["train", "splade", "--triplets", Fixtures.Data("splade-toy", "triplets", "raw.tsv"), "--model", Fixtures.TinySplade, "--out", output, "--max-steps", "1", "--batch-size", "4", "--max-length", "16"];
        Assert.Equal(0, Run(train));
        var log = File.ReadAllBytes(Path.Combine(output, "log.jsonl"));
        var model = File.ReadAllBytes(Path.Combine(output, "model", "model.safetensors"));

        // A rerun would destroy the earlier run's log and model: refused, both kept.
        Assert.Equal(1, Run(train));
        Assert.Equal(log, File.ReadAllBytes(Path.Combine(output, "log.jsonl")));
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(output, "model", "model.safetensors")));

        // --overwrite starts over: the earlier run's checkpoints go, other files stay.
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        Directory.CreateDirectory(Path.Combine(output, "checkpoint-7"));
        Assert.Equal(0, Run([.. train, "--overwrite"]));
        Assert.False(Directory.Exists(Path.Combine(output, "checkpoint-7")));
        Assert.True(Directory.Exists(Path.Combine(output, "checkpoint-1")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }
}
