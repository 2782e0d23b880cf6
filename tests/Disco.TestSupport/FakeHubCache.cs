namespace Disco.TestSupport;

/// <summary>
/// Lays local model folders out as huggingface_hub caches them (<c>models--org--name/refs/main</c>
/// holding a commit, <c>snapshots/&lt;commit&gt;/</c> holding the files), so code that loads
/// models by HuggingFace id is exercised for real, offline.
/// </summary>
public static class FakeHubCache
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>Caches the files of <paramref name="modelDirectory"/> as <paramref name="repoId"/> at revision main; returns the snapshot folder.</summary>
    public static string Add(string cacheDirectory, string repoId, string modelDirectory)
    {
        var repo = Path.Combine(cacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));
        var snapshot = Path.Combine(repo, "snapshots", Commit);
        Directory.CreateDirectory(snapshot);
        foreach (var file in Directory.GetFiles(modelDirectory))
            File.Copy(file, Path.Combine(snapshot, Path.GetFileName(file)), overwrite: true);
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), Commit);
        return snapshot;
    }
}
