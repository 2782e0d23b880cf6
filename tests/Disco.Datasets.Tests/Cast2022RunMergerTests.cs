using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

public sealed class Cast2022RunMergerTests
{
    private static Dictionary<string, IReadOnlyDictionary<string, double>> Run(params (string Q, string D, double S)[] hits)
        => hits.GroupBy(h => h.Q).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.ToDictionary(h => h.D, h => h.S));

    [Fact]
    public void DuplicateDocumentsAreDroppedLaterRunsWinAndTopKIsSortedWithTiesById()
    {
        using var dir = new TempDirectory();
        var dups = dir.File("duplicates.txt");
        File.WriteAllText(dups, "MARCO_01_1:[MARCO_01_2,KILT_9]\nWAPO_a\tWAPO_b\n");
        var drop = Cast2022RunMerger.ReadDuplicates(dups);
        Assert.Equal(["KILT_9", "MARCO_01_2", "WAPO_b"], drop.Order(StringComparer.Ordinal));
        var merged = Cast2022RunMerger.Merge(
            [
                Run(("1_1", "MARCO_01_1-1", 5), ("1_1", "MARCO_01_2-3", 9), ("1_1", "KILT_7-1", 2)),
                Run(("1_1", "KILT_9-2", 8), ("1_1", "WAPO_a-1", 2), ("1_1", "KILT_7-1", 4), ("2_1", "WAPO_b-1", 1)),
            ],
            drop,
            topK: 3);
        Assert.Equal([new ScoredDocument("MARCO_01_1-1", 5), new ScoredDocument("KILT_7-1", 4), new ScoredDocument("WAPO_a-1", 2)], merged["1_1"].Documents);
        Assert.Empty(merged["2_1"]);
    }

    [Theory]
    [InlineData("MARCO_26_222804180-12", "MARCO_26_222804180")]
    [InlineData("KILT_1168284-2", "KILT_1168284")]
    [InlineData("nodash", "nodash")]
    public void DocumentIsThePassageIdBeforeTheLastDash(string passage, string document)
        => Assert.Equal(document, Cast2022RunMerger.DocumentOf(passage));
}
