using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>AdamW as HuggingFace's Trainer sets it up (β 0.9/0.999, ε 1e-8, decoupled weight decay).</summary>
public static class TrainingOptimizer
{
    /// <summary>AdamW over the parameters of <paramref name="module"/> that require gradients.</summary>
    public static AdamW Create(nn.Module module, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(module);
        var named = module.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        // HuggingFace's Trainer exempts biases and the parameters of LayerNorm modules from weight
        // decay. It finds LayerNorms by module type, not by name, so architectures whose norms are
        // named otherwise (DistilBERT's sa_layer_norm) are exempted too.
        var layerNorms = module.named_modules().Where(m => m.module is LayerNorm).Select(m => m.name + ".").ToList();
        bool Exempt(string name) => name.EndsWith(".bias", StringComparison.Ordinal) || layerNorms.Exists(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
        var groups = new List<AdamW.ParamGroup>
        {
            new(named.Where(p => !Exempt(p.name)).Select(p => p.parameter).ToList(), new AdamW.Options { weight_decay = weightDecay }),
            new(named.Where(p => Exempt(p.name)).Select(p => p.parameter).ToList(), new AdamW.Options { weight_decay = 0 }),
        };
        return optim.AdamW(groups, learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }

    /// <summary>
    /// Prepares optimizer step <paramref name="step"/> (1-based): sets the scheduled learning rate,
    /// seeds the run's dropout generator from (seed, step) so a resumed run repeats the draws exactly
    /// (the generator is the run's own, see <see cref="Modeling.DropoutRandom"/>: nothing else in the
    /// process draws from it), clears gradients.
    /// </summary>
    /// <returns>The learning rate of this step.</returns>
    public static double BeginStep(AdamW optimizer, LearningRateSchedule schedule, Generator dropout, long seed, long step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(dropout);
        var rate = schedule.RateAt(step);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
        dropout.manual_seed(unchecked((long)TrainingRandom.For(seed, -2, step).NextUInt64()));
        optimizer.zero_grad();
        return rate;
    }

    /// <summary>Clips the total gradient norm (no clipping when <paramref name="maxNorm"/> ≤ 0) and returns the norm before clipping.</summary>
    public static double ClipGradients(IEnumerable<Parameter> parameters, double maxNorm) =>
        nn.utils.clip_grad_norm_(parameters, maxNorm > 0 ? maxNorm : double.PositiveInfinity);
}
