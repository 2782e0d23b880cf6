using System.Globalization;

namespace Disco.Training.Tests;

/// <summary>Comparison with golden values from the independent scripts.</summary>
internal static class Relative
{
    public static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        var error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-12);
        Assert.True(error <= tolerance, string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2})"));
    }
}
