namespace Disco.Evaluation;

/// <summary>Student's t distribution tail probabilities through the regularised incomplete beta function.</summary>
internal static class StudentT
{
    /// <summary>Two-sided p-value P(|T| ≥ |t|) for <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double TwoSidedP(double t, double degreesOfFreedom)
    {
        if (double.IsNaN(t))
            return double.NaN;
        if (double.IsInfinity(t))
            return 0;
        var x = degreesOfFreedom / (degreesOfFreedom + (t * t));
        return RegularizedIncompleteBeta(x, degreesOfFreedom / 2, 0.5);
    }

    /// <summary>I_x(a, b), evaluated by its continued fraction (modified Lentz), using the symmetry for large x.</summary>
    public static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (x <= 0)
            return 0;
        if (x >= 1)
            return 1;
        if (x > (a + 1) / (a + b + 2))
            return 1 - RegularizedIncompleteBeta(1 - x, b, a);
        var logFront = (a * Math.Log(x)) + (b * Math.Log(1 - x)) - LogBeta(a, b);
        return Math.Exp(logFront) / a * ContinuedFraction(x, a, b);
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        const double Epsilon = 1e-15;
        // f = 1 / (1 + d1 / (1 + d2 / (1 + ...))) with the textbook coefficients d_m of I_x(a, b).
        var f = Tiny;
        var c = f;
        var d = 0.0;
        for (var j = 1; j < 10_000; j++)
        {
            double numerator;
            if (j == 1)
            {
                numerator = 1;
            }
            else
            {
                var m = (j - 1) / 2;
                numerator = (j - 1) % 2 == 1
                    ? -(a + m) * (a + b + m) * x / ((a + (2 * m)) * (a + (2 * m) + 1))
                    : m * (b - m) * x / ((a + (2 * m) - 1) * (a + (2 * m)));
            }
            d = 1 + (numerator * d);
            if (Math.Abs(d) < Tiny)
                d = Tiny;
            c = 1 + (numerator / c);
            if (Math.Abs(c) < Tiny)
                c = Tiny;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
                break;
        }
        return f;
    }

    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>ln Γ(z) by the Lanczos approximation (g = 7, 9 terms), with reflection below 0.5.</summary>
    internal static double LogGamma(double z)
    {
        if (z < 0.5)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * z))) - LogGamma(1 - z);
        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];
        z -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
            sum += coefficients[i] / (z + i);
        var t = z + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((z + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
