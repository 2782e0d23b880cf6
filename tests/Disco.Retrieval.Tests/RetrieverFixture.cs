using Disco.Index;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Retrieval.Tests;

/// <summary>tiny-splade and an index of the golden documents built from memory, shared by a test class.</summary>
public sealed class RetrieverFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public RetrieverFixture()
    {
        Encoder = SpladeEncoder.Load(Fixtures.TinySplade);
        IndexBuilder.FromRecords(GoldenFixture.Documents, Encoder, _dir.File("index"));
        Index = SparseIndex.Open(_dir.File("index"));
    }

    public SpladeEncoder Encoder { get; }

    public SparseIndex Index { get; }

    public string File(string name) => _dir.File(name);

    public void Dispose()
    {
        Index.Dispose();
        Encoder.Dispose();
        _dir.Dispose();
    }
}
