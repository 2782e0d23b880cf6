namespace Disco.TestSupport;

/// <summary>Locates the repository and the shared fixtures and data beside it.</summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding Directory.Build.props).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared folder beside the repository (../shared).</summary>
    public static string SharedRoot => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Fixture(params string[] parts) => Path.Combine([SharedRoot, "fixtures", .. parts]);

    public static string Data(params string[] parts) => Path.Combine([SharedRoot, "data", .. parts]);

    public static string TinySplade => Fixture("tiny-splade");

    public static string TinySpladeBin => Fixture("tiny-splade-bin");

    public static string Golden(string name) => Fixture("golden", name);

    /// <summary>A fixture kept in this repository (tests/fixtures), made by a dev-only script in tests/fixtures/scripts.</summary>
    public static string RepoFixture(params string[] parts) => Path.Combine([RepoRoot, "tests", "fixtures", .. parts]);

    /// <summary>A tiny random one-logit BertForSequenceClassification with golden pair logits and training steps (tests/fixtures/scripts/make_tiny_cross_encoder.py).</summary>
    public static string TinyCrossEncoder => RepoFixture("tiny-cross-encoder");

    /// <summary>A tiny random one-logit DistilBertForSequenceClassification with golden pair logits (tests/fixtures/scripts/make_tiny_distilbert_cross_encoder.py).</summary>
    public static string TinyDistilBertCrossEncoder => RepoFixture("tiny-distilbert-cross-encoder");

    /// <summary>A tiny random DistilBertForMaskedLM with its golden vectors (tests/fixtures/scripts/make_tiny_distilbert.py).</summary>
    public static string TinyDistilBert => RepoFixture("tiny-distilbert");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"no Directory.Build.props above {AppContext.BaseDirectory}");
    }
}
