using Disco.Index;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Server.Tests;

/// <summary>The golden documents as a TSV collection and a tiny-splade index of them (a corpus), built once per test class.</summary>
public sealed class TinyCorpus : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TinyCorpus()
    {
        Encoder = SpladeEncoder.Load(Fixtures.TinySplade);
        IndexDirectory = _dir.File("index");
        IndexBuilder.FromRecords(GoldenFixture.Documents, Encoder, IndexDirectory);
        CollectionPath = _dir.File("collection.tsv");
        System.IO.File.WriteAllLines(CollectionPath, GoldenFixture.Documents.Select(d => $"{d.Id}\t{d.Text}"));
    }

    public SpladeEncoder Encoder { get; }

    public string IndexDirectory { get; }

    public string CollectionPath { get; }

    public string File(string name) => _dir.File(name);

    /// <summary>Builds an index of <paramref name="count"/> golden documents at <paramref name="directory"/> (replacing what is there, as `disco index` does).</summary>
    public void BuildIndex(string directory, int count) => IndexBuilder.FromRecords(GoldenFixture.Documents.Take(count).ToList(), Encoder, directory);

    /// <summary>Server options over this collection with the tiny model; <paramref name="configure"/> changes them.</summary>
    public Action<DiscoSearchOptions> Options(Action<DiscoSearchOptions>? configure = null, string? index = null) => o =>
    {
        o.IndexDirectory = index ?? IndexDirectory;
        o.QueryModel = Fixtures.TinySplade;
        o.Collection = CollectionPath;
        configure?.Invoke(o);
    };

    public void Dispose()
    {
        Encoder.Dispose();
        _dir.Dispose();
    }
}
