using Disco.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>AdamW as HuggingFace's Trainer sets it up (β 0.9/0.999, ε 1e-8, decoupled weight decay).</summary>
public static class TrainingOptimizer
{
    public static AdamW Create(MaskedLanguageModel model, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(model);
        // HuggingFace's Trainer exempts biases and LayerNorm weights from weight decay.
        var named = model.named_parameters().ToList();
        var groups = new List<AdamW.ParamGroup>
        {
            new(named.Where(p => !IsDecayExempt(p.name)).Select(p => p.parameter).ToList(), new AdamW.Options { weight_decay = weightDecay }),
            new(named.Where(p => IsDecayExempt(p.name)).Select(p => p.parameter).ToList(), new AdamW.Options { weight_decay = 0 }),
        };
        return optim.AdamW(groups, learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }

    /// <summary>
    /// Prepares optimizer step <paramref name="step"/> (1-based): sets the scheduled learning rate,
    /// seeds dropout from (seed, step) so a resumed run repeats the draws exactly, clears gradients.
    /// </summary>
    /// <returns>The learning rate of this step.</returns>
    public static double BeginStep(AdamW optimizer, LearningRateSchedule schedule, long seed, long step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        var rate = schedule.RateAt(step);
        SetLearningRate(optimizer, rate);
        manual_seed(unchecked((long)TrainingRandom.For(seed, -2, step).NextUInt64()));
        optimizer.zero_grad();
        return rate;
    }

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public static void SetLearningRate(AdamW optimizer, double rate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
    }

    /// <summary>Clips the total gradient norm (no clipping when <paramref name="maxNorm"/> ≤ 0) and returns the norm before clipping.</summary>
    public static double ClipGradients(IEnumerable<Parameter> parameters, double maxNorm) =>
        nn.utils.clip_grad_norm_(parameters, maxNorm > 0 ? maxNorm : double.PositiveInfinity);

    private static bool IsDecayExempt(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal);
}
