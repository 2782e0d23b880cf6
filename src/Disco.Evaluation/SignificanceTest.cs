namespace Disco.Evaluation;

/// <summary>Paired two-sided significance tests over per-query values of two runs.</summary>
public static class SignificanceTest
{
    /// <summary>Default number of random sign assignments of the randomisation test.</summary>
    public const int DefaultTrials = 10_000;

    /// <summary>Default seed, fixed so that p-values are reproducible.</summary>
    public const int DefaultSeed = 20250101;

    /// <summary>
    /// Paired Student t-test on the differences b − a, two-sided, n − 1 degrees of freedom. NaN for fewer than two
    /// queries; when every difference is equal the t statistic is undefined, and p is 1 (all zero) or 0 (a constant shift).
    /// </summary>
    public static double PairedTTest(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var d = Differences(a, b);
        var n = d.Length;
        if (n < 2)
            return double.NaN;
        var mean = d.Average();
        var ss = 0.0;
        foreach (var x in d)
            ss += (x - mean) * (x - mean);
        var sd = Math.Sqrt(ss / (n - 1));
        if (sd == 0)
            return mean == 0 ? 1 : 0;
        var t = mean / (sd / Math.Sqrt(n));
        return StudentT.TwoSidedP(t, n - 1);
    }

    /// <summary>
    /// Paired randomisation (sign-flip permutation) test, two-sided: the share of sign assignments of the
    /// differences whose mean is at least as far from 0 as the observed one. Exact (all 2^n assignments) when
    /// 2^n ≤ <paramref name="trials"/>; otherwise Monte Carlo with (count + 1) / (trials + 1).
    /// </summary>
    public static double Randomization(IReadOnlyList<double> a, IReadOnlyList<double> b, int trials = DefaultTrials, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var d = Differences(a, b);
        var n = d.Length;
        if (n == 0)
            return double.NaN;
        var observed = Math.Abs(d.Sum());
        // Sums equal up to rounding count as "as extreme": flipping signs reorders the additions.
        var threshold = observed - (1e-12 * Math.Max(1, observed));
        if (n < 31 && (1L << n) <= trials)
        {
            long extreme = 0;
            var total = 1L << n;
            for (long mask = 0; mask < total; mask++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                    sum += ((mask >> i) & 1) == 0 ? d[i] : -d[i];
                if (Math.Abs(sum) >= threshold)
                    extreme++;
            }
            return (double)extreme / total;
        }
        var random = new Random(seed);
        long count = 0;
        for (var t = 0; t < trials; t++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
                sum += random.Next(2) == 0 ? d[i] : -d[i];
            if (Math.Abs(sum) >= threshold)
                count++;
        }
        return (count + 1.0) / (trials + 1.0);
    }

    private static double[] Differences(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
            throw new ArgumentException($"paired samples differ in length ({a.Count} and {b.Count})", nameof(b));
        var d = new double[a.Count];
        for (var i = 0; i < d.Length; i++)
            d[i] = b[i] - a[i];
        return d;
    }
}
