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
}
