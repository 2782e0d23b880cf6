namespace Disco.Training;

/// <summary>
/// A small deterministic generator (SplitMix64). Every random decision of training is derived from
/// (seed, epoch, position), so a resumed run only needs its step counter to draw exactly what an
/// uninterrupted run would have drawn; no generator state has to be saved.
/// </summary>
public sealed class TrainingRandom
{
    private ulong _state;

    public TrainingRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one purpose, fully determined by the seed and the given keys.</summary>
    public static TrainingRandom For(long seed, params long[] keys)
    {
        var state = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var key in keys)
            state = Mix(state ^ Mix((ulong)key + 0x632BE59BD9B4E019UL));
        return new TrainingRandom(state);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, maxExclusive), without modulo bias.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong value;
        do
            value = NextUInt64();
        while (value >= limit);
        return (int)(value % bound);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
