namespace Disco.Training;

/// <summary>
/// The HuggingFace learning-rate schedules as a pure function of the optimizer step. As in
/// <c>LambdaLR</c>, the update of step k (counted from 1) uses the factor for k−1, so with warmup the
/// very first update has learning rate 0.
/// </summary>
public sealed record LearningRateSchedule(double BaseRate, LearningRateShape Shape, long TotalSteps, long WarmupSteps)
{
    /// <summary>Warmup steps for a ratio as HuggingFace computes them: ⌈ratio·total⌉.</summary>
    public static long WarmupFromRatio(double ratio, long totalSteps) => (long)Math.Ceiling(ratio * totalSteps);

    /// <summary>The learning rate used by the update of <paramref name="step"/> (1-based).</summary>
    public double RateAt(long step)
    {
        var k = step - 1;
        if (k < WarmupSteps)
            return BaseRate * k / Math.Max(1, WarmupSteps);
        return Shape switch
        {
            LearningRateShape.Constant => BaseRate,
            _ => BaseRate * Math.Max(0.0, (double)(TotalSteps - k) / Math.Max(1, TotalSteps - WarmupSteps)),
        };
    }
}
