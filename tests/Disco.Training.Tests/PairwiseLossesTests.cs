using static TorchSharp.torch;

namespace Disco.Training.Tests;

public sealed class PairwiseLossesTests
{
    private static readonly float[] Q = [1f, 0f, 2f, 0.5f, 1f, 0f];
    private static readonly float[] Pos = [0.5f, 1f, 1f, 0f, 2f, 0.5f];
    private static readonly float[] Neg = [1f, 1f, 0f, 1f, 0f, 2f];

    [Fact]
    public void InBatchNllScoresEveryPositivePlusTheOwnNegative()
    {
        using var scope = NewDisposeScope();
        var loss = PairwiseLosses.InBatchPairwiseNll(tensor(Q, [2, 3]), tensor(Pos, [2, 3]), tensor(Neg, [2, 3])).item<float>();
        // Query 0 = (1,0,2): positives score 2.5 and 1.0, own negative 1.0.
        // Query 1 = (0.5,1,0): positives score 1.25 and 2.0, own negative 0.5.
        var expected = (-LogSoftmaxAt([2.5, 1.0, 1.0], 0) - LogSoftmaxAt([1.25, 2.0, 0.5], 1)) / 2;
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void MarginMseComparesScoreMargins()
    {
        using var scope = NewDisposeScope();
        var loss = PairwiseLosses.DistilMarginMse(tensor(new[] { 3f, 1f }), tensor(new[] { 1f, 2f }), tensor(new[] { 5f, 0f }), tensor(new[] { 4f, 0f })).item<float>();
        Assert.Equal(((2.0 - 1.0) * (2.0 - 1.0) + (-1.0 * -1.0)) / 2, loss, 6);
    }

    [Fact]
    public void DistilKlIsZeroWhenStudentMatchesTeacherUpToAShift()
    {
        using var scope = NewDisposeScope();
        var same = PairwiseLosses.DistilKl(tensor(new[] { 3f }), tensor(new[] { 1f }), tensor(new[] { 13f }), tensor(new[] { 11f })).item<float>();
        Assert.Equal(0.0, same, 6);
        var different = PairwiseLosses.DistilKl(tensor(new[] { 1f }), tensor(new[] { 1f }), tensor(new[] { 2f }), tensor(new[] { 0f })).item<float>();
        var pt = 1 / (1 + Math.Exp(-2));
        var expected = (pt * Math.Log(pt / 0.5)) + ((1 - pt) * Math.Log((1 - pt) / 0.5));
        Assert.Equal(expected, different, 5);
    }

    private static double LogSoftmaxAt(double[] x, int i) => x[i] - Math.Log(x.Sum(Math.Exp));
}
