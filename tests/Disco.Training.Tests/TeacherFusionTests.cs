
namespace Disco.Training.Tests;

public sealed class TeacherFusionTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> A = Run(("q", "d1", 10), ("q", "d2", 6), ("q", "d3", 2));
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> B = Run(("q", "d2", 30), ("q", "d4", 20), ("r", "d1", 1));

    [Fact]
    public void MinMaxMeanNormalisesEachTeacherAndCountsMissingAsZero()
    {
        var fused = TeacherFusion.Fuse([A, B], FusionMethod.MinMaxMean);
        Assert.Equal(0.5, fused["q"]["d1"], 12);              // (1 + 0) / 2
        Assert.Equal((0.5 + 1.0) / 2, fused["q"]["d2"], 12);
        Assert.Equal(0.0, fused["q"]["d3"], 12);
        Assert.Equal(0.0, fused["q"]["d4"], 12);               // B's minimum
        Assert.Equal(0.25, fused["r"]["d1"], 12);              // a single document: 0.5, over two runs
    }

    [Fact]
    public void MeanMaxAndUnionUseRawScores()
    {
        Assert.Equal(18.0, TeacherFusion.Fuse([A, B], FusionMethod.Mean)["q"]["d2"], 12);
        Assert.Equal(30.0, TeacherFusion.Fuse([A, B], FusionMethod.Max)["q"]["d2"], 12);
        Assert.Equal(6.0, TeacherFusion.Fuse([B, A], FusionMethod.Union)["q"]["d2"], 12);
        Assert.Equal(30.0, TeacherFusion.Fuse([A, B], FusionMethod.Union)["q"]["d2"], 12);
    }

    [Fact]
    public void RrfSumsReciprocalRanks()
    {
        var fused = TeacherFusion.Fuse([A, B], FusionMethod.Rrf);
        Assert.Equal((1.0 / 62) + (1.0 / 61), fused["q"]["d2"], 12);
        Assert.Equal(1.0 / 61, fused["q"]["d1"], 12);
    }

    [Fact]
    public void DepthKeepsTheBestDocumentsWithTiesByDocumentId()
    {
        var tied = Run(("q", "b", 1), ("q", "a", 1), ("q", "c", 0));
        var fused = TeacherFusion.Fuse([tied], FusionMethod.Max, depth: 1);
        Assert.Equal(["a"], fused["q"].Keys);
    }

    private static Dictionary<string, IReadOnlyDictionary<string, double>> Run(params (string Q, string D, double S)[] rows) =>
        rows.GroupBy(r => r.Q).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, double>)g.ToDictionary(r => r.D, r => r.S));
}
