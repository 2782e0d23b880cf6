namespace Disco.Interop.Tests;

/// <summary>The fixtures written by Fixtures/make_fixtures.py (h5py and Python's pickle), copied next to the tests.</summary>
internal static class InteropFixtures
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static IReadOnlyList<string> Vocabulary => File.ReadAllLines(Path("vocab.txt"));

    /// <summary>Copies a fixture folder into <paramref name="into"/> so a test can damage it.</summary>
    public static string CopyFolder(string name, string into)
    {
        var target = System.IO.Path.Combine(into, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path(name)))
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        return target;
    }

    /// <summary>True when <paramref name="output"/> and every DIR.tmp-* / DIR.old-* beside it are absent.</summary>
    public static bool NothingAt(string output) =>
        !Directory.Exists(output) && !File.Exists(output)
        && Directory.GetFileSystemEntries(System.IO.Path.GetDirectoryName(output)!, System.IO.Path.GetFileName(output) + ".*").Length == 0;
}
