using Disco.Cli.Commands;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

public sealed class TeacherCommandTests
{
    private static int Disco(params string[] args) => CommandRunner.Run(TeacherCommand.Create(), args);

    [Fact]
    public void FuseWritesTheFusedRunWithTheChosenMethod()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.json"), """{"q": {"d1": 10, "d2": 6}}""");
        File.WriteAllText(dir.File("b.trec"), "q Q0 d2 1 30 b\nq Q0 d3 2 20 b\n");
        Assert.Equal(0, Disco("teacher", "fuse", "--run", dir.File("a.json"), "--run", dir.File("b.trec"), "--method", "max", "--depth", "2", "--out", dir.File("fused.json")));
        var fused = Run.Read(dir.File("fused.json"));
        Assert.Equal(new Dictionary<string, double> { ["d2"] = 30, ["d3"] = 20 }, fused["q"].ToDictionary(p => p.Key, p => p.Value));

        Assert.Equal(0, Disco("teacher", "fuse", "--run", dir.File("a.json"), "--run", dir.File("b.trec"), "--out", dir.File("minmax.trec")));
        var minmax = Run.Read(dir.File("minmax.trec"));
        Assert.Equal(0.5, minmax["q"]["d1"], 5);
        Assert.Equal(0.5, minmax["q"]["d2"], 5);
        Assert.Equal(0.0, minmax["q"]["d3"], 5);
    }

    [Fact]
    public void ScoreFillsTheMissingPairsOnTheChosenDeviceAndRefusesCudaOnACpuBuild()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("rewrites.tsv"), "q1\twhat is a sparse retriever\n");
        File.WriteAllText(dir.File("collection.tsv"), "d1\tsparse retrieval with learned term weights\nd2\tthe weather in paris\n");
        File.WriteAllText(dir.File("pairs.json"), """{"q1": {"d1": 0, "d2": 0}}""");
        File.WriteAllText(dir.File("teacher.json"), """{"q1": {"d2": 7.5}}""");
        string[] Args(string device, string output) =>
        [
            "teacher", "score", "--rewrites", dir.File("rewrites.tsv"), "--collection", dir.File("collection.tsv"), "--model", Fixtures.TinySplade,
            "--pairs", dir.File("pairs.json"), "--run", dir.File("teacher.json"), "--out", dir.File(output), "--device", device,
        ];

        Assert.Equal(1, Disco(Args("cuda", "cuda.json")));
        Assert.False(File.Exists(dir.File("cuda.json")));
        Assert.Equal(0, Disco(Args("cpu", "cpu.json")));
        var scored = Run.Read(dir.File("cpu.json"))["q1"];
        Assert.Equal(7.5, scored["d2"]);
        Assert.True(scored["d1"] > 0, $"s(q1, d1) = {scored["d1"]}");
    }
}
