using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Where the dropout of this library's models draws its masks. libtorch has one default generator
/// per process, and anything else in the process that draws from it or reseeds it (a second
/// training run, a host's own torch code, a test running beside another) between a step's seeding
/// and its dropout changes the masks: a resumed run then no longer repeats the uninterrupted one bit
/// for bit, depending on timing. Training therefore gives each step a generator of its own
/// (<see cref="Use"/>, on the thread that runs the step's forward passes); without one, dropout
/// draws from libtorch's default generator as <c>torch.nn.functional.dropout</c> does.
/// </summary>
public static class DropoutRandom
{
    [ThreadStatic]
    private static Generator? t_generator;

    /// <summary>Until disposed, dropout on this thread draws from <paramref name="generator"/>.</summary>
    public static IDisposable Use(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var previous = t_generator;
        t_generator = generator;
        return new Restore(previous);
    }

    /// <summary>Whether dropout on this thread draws from a generator given by <see cref="Use"/>.</summary>
    public static bool HasGenerator => t_generator is not null;

    /// <summary>
    /// Inverted dropout as torch's: in training, each element is zeroed with probability
    /// <paramref name="probability"/> and the rest scaled by 1/(1 − p); the input itself otherwise.
    /// </summary>
    public static Tensor Apply(Tensor input, double probability, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || probability == 0)
            return input.alias();
        if (t_generator is not { } generator)
            return nn.functional.dropout(input, probability, training: true);
        using var scope = NewDisposeScope();
        var keep = empty_like(input).bernoulli_(1 - probability, generator);
        return input.mul(keep).div_(1 - probability).MoveToOuterDisposeScope();
    }

    private sealed class Restore(Generator? previous) : IDisposable
    {
        public void Dispose() => t_generator = previous;
    }
}
