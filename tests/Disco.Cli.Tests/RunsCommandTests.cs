using Disco.Cli.Commands;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

public sealed class RunsCommandTests
{
    [Fact]
    public void MergesTrecAndJsonRunsDroppingDuplicateDocuments()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.trec"), "132_1-1 Q0 MARCO_01_1-1 1 5.0 a\n132_1-1 Q0 MARCO_01_2-3 2 9.0 a\n");
        File.WriteAllText(dir.File("b.json"), """{"132_1-1": {"KILT_7-1": 4.0, "MARCO_01_1-1": 6.0}}""");
        File.WriteAllText(dir.File("dups.txt"), "MARCO_01_1:[MARCO_01_2]\n");
        Assert.Equal(0, CommandRunner.Run(RunsCommand.Create(), ["runs", "merge", "--run", dir.File("a.trec"), "--run", dir.File("b.json"), "--duplicates", dir.File("dups.txt"), "--out", dir.File("m.trec")]));
        Assert.Equal(["132_1-1 Q0 MARCO_01_1-1 1 6 disco-merged", "132_1-1 Q0 KILT_7-1 2 4 disco-merged"], File.ReadAllLines(dir.File("m.trec")));
    }
}
