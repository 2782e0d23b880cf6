using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.TestSupport;
using Disco.Training;

namespace Disco.Cli.Tests;

/// <summary>`disco train` as a command line: the subcommands' wiring and the aliases. The training itself is tested in Disco.Training.Tests.</summary>
[Collection(SerialTorchTests.Name)]
public sealed class TrainCommandTests
{
    private static int Run(params string[] args) => CommandRunner.Run(TrainCommand.Create(), args);

    [Fact]
    public void TrainDiscoPassesItsFlagsToTheRecipeAndTheLoop()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        Assert.Equal(0, Run([
            "train", "disco", .. TinyDiscoInputs(dir), "--query-model", Fixtures.TinySplade, "--out", output,
            "--negatives", "3", "--rank-window", "0:10", "--batch-size", "2", "--grad-accum", "1", "--max-steps", "1", "--max-length", "32", "--lr-schedule", "constant",
            "--threads", "1"]));

        Assert.True(File.Exists(Path.Combine(output, "model", "query", "model.safetensors")));
        using var args = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "training_args.json")));
        var options = args.RootElement.GetProperty("options");
        Assert.Equal("disco", args.RootElement.GetProperty("recipe").GetString());
        Assert.Equal(3, options.GetProperty("Negatives").GetInt32());
        Assert.Equal(32, options.GetProperty("MaxLength").GetInt32());
        Assert.Equal(2, options.GetProperty("Loop").GetProperty("BatchSize").GetInt32());
        Assert.Equal("Constant", options.GetProperty("Loop").GetProperty("Schedule").GetString());
        // Unset flags keep DiSCo's defaults.
        Assert.Equal(DiscoTrainingOptions.DefaultLoop.WarmupRatio, options.GetProperty("Loop").GetProperty("WarmupRatio").GetDouble());
        // --threads reached libtorch on the training thread (torch.get_num_threads()).
        Assert.Equal(1, args.RootElement.GetProperty("torch_threads").GetInt32());
    }

    /// <summary>Writes two queries with four candidates each (the first relevant) and teacher scores; returns their `train disco` flags.</summary>
    internal static string[] TinyDiscoInputs(TempDirectory dir)
    {
        File.WriteAllLines(dir.File("queries.tsv"), ["q0\twhat is a sparse retriever", "q1\thow are passages indexed"]);
        File.WriteAllLines(dir.File("collection.tsv"), Enumerable.Range(0, 8).Select(i => string.Create(CultureInfo.InvariantCulture, $"d{i}\tpassage {i} about sparse retrieval and inverted indexes")));
        File.WriteAllLines(dir.File("qrels.txt"), ["q0 0 d0 1", "q1 0 d4 1"]);
        File.WriteAllText(dir.File("teacher.json"), """{"q0": {"d0": 9, "d1": 7, "d2": 5, "d3": 3}, "q1": {"d4": 8, "d5": 6, "d6": 4, "d7": 2}}""");
        return ["--queries", dir.File("queries.tsv"), "--collection", dir.File("collection.tsv"), "--qrels", dir.File("qrels.txt"), "--teacher-run", dir.File("teacher.json")];
    }

    [Fact]
    public void TheRecipeAliasRunsTheSpladeSubcommandWithSpladesDefaults()
    {
        // DiSCo's defaults (warmup ratio 0.01) would make the first step's learning rate 0;
        // SPLADE's (no warmup, linear decay) start at the peak rate.
        using var dir = new TempDirectory();
        var log = dir.File("log.jsonl");
        Assert.Equal(0, Run(
            "train", "--recipe", "splade", "--triplets", Fixtures.Data("splade-toy", "triplets", "raw.tsv"),
            "--model", Fixtures.TinySplade, "--out", dir.File("out"), "--max-steps", "1", "--batch-size", "4", "--max-length", "16", "--log", log));
        using var first = JsonDocument.Parse(File.ReadLines(log).First());
        Assert.Equal(SpladeTrainingOptions.DefaultLoop.LearningRate, first.RootElement.GetProperty("lr").GetDouble(), 12);
        Assert.Equal("splade", TrainerState.Read(Path.Combine(dir.File("out"), "checkpoint-1")).Recipe);
        // Without --threads, libtorch runs on the default every encoder uses, not its own.
        using var args = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "training_args.json")));
        Assert.Equal(Core.Vectors.EncoderDefaults.Threads, args.RootElement.GetProperty("torch_threads").GetInt32());
    }

    [Fact]
    public void TheAliasReadsARecipeNameAfterAFlagAsTheFlagsValue()
    {
        var root = new RootCommand();
        root.Subcommands.Add(TrainCommand.Create());
        var parse = root.Parse(["train", "--queries", "q.tsv", "--out", "disco"]);
        Assert.Empty(parse.Errors);
        Assert.Equal("train", parse.CommandResult.Command.Name);
        var subcommand = root.Parse(["train", "disco", "--queries", "q.tsv", "--out", "splade"]);
        Assert.Equal("disco", subcommand.CommandResult.Command.Name);
    }

    [Fact]
    public void FlagsOfTheOtherRecipeAreRefused()
    {
        using var dir = new TempDirectory();
        Assert.Equal(2, Run("train", "--recipe", "splade", "--triplets", "t.tsv", "--model", Fixtures.TinySplade, "--out", dir.File("out"), "--negatives", "3"));
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
