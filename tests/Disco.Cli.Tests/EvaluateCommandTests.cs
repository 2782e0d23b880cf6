using System.CommandLine;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>`disco evaluate` end to end: trec_eval 10.0's own output for the fixture runs, byte for byte.</summary>
public sealed class EvaluateCommandTests
{
    private static string TrecEval(string name) => Fixtures.Fixture("trec_eval", name);

    private static int Run(params string[] args)
    {
        var root = new RootCommand();
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(EvaluateCommand.Create());
        return CliErrors.Run(root, args);
    }

    /// <summary>The -m options that name the measures of a reference file (its first column, P_10 meaning P.10).</summary>
    private static string[] MeasureOptions(string reference) =>
        [.. File.ReadLines(TrecEval(reference)).Select(l => l.Split('\t')[0].Trim()).Distinct().SelectMany(m => new[] { "-m", m })];

    [Theory]
    [InlineData("ref_runA_default.txt", "1")]
    [InlineData("ref_runA_l2.txt", "2")]
    public void TextOutputIsTrecEvals(string reference, string level)
    {
        using var dir = new TempDirectory();

        var code = Run(["evaluate", "--qrels", TrecEval("qrels.txt"), "--run", TrecEval("runA.txt"), "-l", level, "--out", dir.File("out.txt"), .. MeasureOptions(reference)]);

        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(TrecEval(reference)), File.ReadAllText(dir.File("out.txt")));
    }

    [Fact]
    public void SeveralRunsGiveAJsonComparison()
    {
        using var dir = new TempDirectory();

        var code = Run("evaluate", "--qrels", TrecEval("qrels.txt"), "--run", TrecEval("runA.txt"), "--run", TrecEval("runB.txt"), "-m", "map", "-m", "ndcg@3", "--format", "json", "--out", dir.File("out.json"));

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.json")));
        var runs = doc.RootElement.GetProperty("runs");
        Assert.Equal("runA.txt", runs[0].GetProperty("run").GetString());
        Assert.Equal(0.0272, Math.Round(runs[0].GetProperty("all").GetProperty("ndcg_cut_3").GetDouble(), 4));
        var p = runs[1].GetProperty("tests").GetProperty("map").GetProperty("paired_t").GetDouble();
        Assert.InRange(p, 0, 1);
    }

    [Fact]
    public void MalformedRunFailsWithExitCodeOneAndWritesNothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.run"), "q0 Q0 d1 1\n");

        Assert.Equal(1, Run("evaluate", "--qrels", TrecEval("qrels.txt"), "--run", dir.File("bad.run"), "--out", dir.File("out.txt")));
        Assert.False(File.Exists(dir.File("out.txt")));
    }

    [Fact]
    public void UnknownMeasureIsAUsageError() =>
        Assert.Equal(2, Run("evaluate", "--qrels", TrecEval("qrels.txt"), "--run", TrecEval("runA.txt"), "-m", "bpref"));
}
