namespace Disco.Datasets.Tests;

/// <summary>Sample files written for these tests in the exact published formats (copied beside the test assembly).</summary>
internal static class Sample
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Samples", name);
}
