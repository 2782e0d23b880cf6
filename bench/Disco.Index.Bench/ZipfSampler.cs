namespace Disco.Index.Bench;

/// <summary>Draws an index in [0, n) with probability ∝ (i + 1)^-s, by binary search in the cumulative distribution.</summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int n, double exponent)
    {
        _cumulative = new double[n];
        var sum = 0.0;
        for (var r = 0; r < n; r++)
        {
            sum += Math.Pow(r + 1, -exponent);
            _cumulative[r] = sum;
        }
        for (var r = 0; r < n; r++)
            _cumulative[r] /= sum;
    }

    public int Next(Random random)
    {
        var i = Array.BinarySearch(_cumulative, random.NextDouble());
        i = i < 0 ? ~i : i;
        return Math.Min(i, _cumulative.Length - 1);
    }
}
