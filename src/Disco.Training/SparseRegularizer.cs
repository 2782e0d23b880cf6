using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>Sparsity regularisers of SPLADE representations [N, V] and their λ warmup.</summary>
public static class SparseRegularizer
{
    /// <summary>FLOPS(X) = Σ_j (mean_i |x_ij|)².</summary>
    public static Tensor Flops(Tensor representations)
    {
        ArgumentNullException.ThrowIfNull(representations);
        return representations.abs().mean([0]).pow(2).sum();
    }

    /// <summary>L1(X) = mean_i Σ_j |x_ij|.</summary>
    public static Tensor L1(Tensor representations)
    {
        ArgumentNullException.ThrowIfNull(representations);
        return representations.abs().sum(1).mean();
    }

    /// <summary>Mean number of non-zero entries per row (logged only).</summary>
    public static double L0(Tensor representations)
    {
        ArgumentNullException.ThrowIfNull(representations);
        using var _ = NewDisposeScope();
        return representations.detach().gt(0).to(ScalarType.Float32).sum(1).mean().item<float>();
    }

    /// <summary>
    /// DiSCo's quadratic warmup λ_t = min(λ, λ·(step/(T+1))²); T = 0 applies λ at once (spec §2.4).
    /// </summary>
    public static double WarmedUpLambda(double lambda, int warmupSteps, long step)
    {
        var ramp = (double)step / (warmupSteps + 1);
        return Math.Min(lambda, lambda * ramp * ramp);
    }

    /// <summary>
    /// SPLADE's RegWeightScheduler: λ·(t/T)² until step T, then λ. (DiSCo's variant differs by the
    /// +1 in the denominator; see <see cref="WarmedUpLambda"/>.)
    /// </summary>
    public static double RampedLambda(double lambda, int warmupSteps, long step)
    {
        if (lambda == 0)
            return 0;
        if (warmupSteps <= 0 || step >= warmupSteps)
            return lambda;
        var ramp = (double)step / warmupSteps;
        return lambda * ramp * ramp;
    }
}
