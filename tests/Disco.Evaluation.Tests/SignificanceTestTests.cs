namespace Disco.Evaluation.Tests;

public sealed class SignificanceTestTests
{
    /// <summary>Two samples whose paired differences are exactly <paramref name="d"/>.</summary>
    private static (double[] A, double[] B) WithDifferences(params double[] d) => (new double[d.Length], d);

    private static double TStatistic(double[] d)
    {
        var mean = d.Average();
        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        return mean / (sd / Math.Sqrt(d.Length));
    }

    [Fact]
    public void TTestWithOneDegreeOfFreedomIsTheCauchyTail()
    {
        double[] d = [0.1, 0.5];
        var (a, b) = WithDifferences(d);
        var t = TStatistic(d);

        // df = 1 is the Cauchy distribution: P(|T| >= t) = 1 - 2 atan(t) / pi.
        Assert.Equal(1 - (2 * Math.Atan(t) / Math.PI), SignificanceTest.PairedTTest(a, b), 1e-10);
    }

    [Fact]
    public void TTestWithTwoDegreesOfFreedomMatchesTheClosedForm()
    {
        double[] d = [0.2, 0.3, 0.7];
        var (a, b) = WithDifferences(d);
        var t = TStatistic(d);

        // df = 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2).
        Assert.Equal(1 - (t / Math.Sqrt(2 + (t * t))), SignificanceTest.PairedTTest(a, b), 1e-10);
    }

    [Theory]
    [InlineData(2.228138851986274, 10, 0.05)] // t table, 97.5% quantile, 10 df
    [InlineData(3.169272667175838, 10, 0.01)]
    [InlineData(1.959963984540054, 1e7, 0.05)] // large df: the normal quantile
    public void TailProbabilitiesMatchTables(double t, double df, double p) =>
        Assert.Equal(p, StudentT.TwoSidedP(t, df), 1e-6);

    [Fact]
    public void IdenticalRunsAreNotSignificant()
    {
        double[] x = [0.1, 0.4, 0.9, 0.3];
        Assert.Equal(1.0, SignificanceTest.PairedTTest(x, x));
        Assert.Equal(1.0, SignificanceTest.Randomization(x, x));
    }

    [Fact]
    public void SmallRandomisationTestsEnumerateEverySignAssignment()
    {
        // Differences 1,2,3,4: of the 16 sign assignments only all-plus and all-minus reach |sum| = 10.
        var (a, b) = WithDifferences(1, 2, 3, 4);
        Assert.Equal(2.0 / 16, SignificanceTest.Randomization(a, b));

        // 1,1,1,-1 (observed |sum| = 2): the expected share comes from enumerating the definition directly.
        double[] d = [1, 1, 1, -1];
        var extreme = Enumerable.Range(0, 16).Count(mask => Math.Abs(d.Select((x, i) => ((mask >> i) & 1) == 0 ? x : -x).Sum()) >= 2);
        var (a2, b2) = WithDifferences(d);
        Assert.Equal(extreme / 16.0, SignificanceTest.Randomization(a2, b2));
    }

    [Fact]
    public void MonteCarloRandomisationAgreesWithTheTTestOnManyQueries()
    {
        var random = new Random(7);
        var a = Enumerable.Range(0, 200).Select(_ => random.NextDouble()).ToArray();
        var b = a.Select(x => x + 0.03 + ((random.NextDouble() - 0.5) * 0.5)).ToArray();

        var t = SignificanceTest.PairedTTest(a, b);
        var r = SignificanceTest.Randomization(a, b, trials: 20_000, seed: 1);

        // With 200 queries both tests approximate the same normal tail.
        Assert.InRange(r, t - 0.02, t + 0.02);
        Assert.Equal(r, SignificanceTest.Randomization(a, b, trials: 20_000, seed: 1));
    }
}
