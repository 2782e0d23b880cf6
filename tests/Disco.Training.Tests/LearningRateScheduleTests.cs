
namespace Disco.Training.Tests;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void LinearWarmsUpFromZeroThenDecaysToZero()
    {
        var schedule = new LearningRateSchedule(1e-3, LearningRateShape.Linear, TotalSteps: 10, WarmupSteps: 2);
        double[] expected = [0, 0.5e-3, 1e-3, 7e-3 / 8, 6e-3 / 8, 5e-3 / 8, 4e-3 / 8, 3e-3 / 8, 2e-3 / 8, 1e-3 / 8];
        for (var step = 1; step <= 10; step++)
            Assert.Equal(expected[step - 1], schedule.RateAt(step), 12);
    }

    [Fact]
    public void ConstantWithoutWarmupNeverChanges()
    {
        var schedule = new LearningRateSchedule(2e-5, LearningRateShape.Constant, TotalSteps: 5, WarmupSteps: 0);
        Assert.All(Enumerable.Range(1, 5), step => Assert.Equal(2e-5, schedule.RateAt(step)));
    }

    [Theory]
    [InlineData(0.01, 22725, 228)]
    [InlineData(0.01, 100, 1)]
    [InlineData(0.0, 100, 0)]
    public void WarmupRatioRoundsUpLikeHuggingFace(double ratio, long total, long expected) =>
        Assert.Equal(expected, LearningRateSchedule.WarmupFromRatio(ratio, total));

    [Fact]
    public void LambdaWarmupIsQuadraticAndCapped()
    {
        Assert.Equal(0.5, SparseRegularizer.WarmedUpLambda(0.5, 0, 1));
        Assert.Equal(0.5 * 0.25, SparseRegularizer.WarmedUpLambda(0.5, 3, 2), 12);
        Assert.Equal(0.5, SparseRegularizer.WarmedUpLambda(0.5, 3, 100));
    }
}
