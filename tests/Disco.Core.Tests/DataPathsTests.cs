using Disco.Core.Queries;
using Disco.Core.Texts;
using Disco.TestSupport;

namespace Disco.Core.Tests;

public sealed class DataPathsTests
{
    [Fact]
    public void SpladeDataFolderReadsItsRawTsv()
    {
        var folder = Fixtures.Data("splade-toy", "dev_queries");

        var fromFolder = QueryFile.Read(folder);
        // The toy file lists two ids twice; a query file keeps each id's first line.
        var fromFile = TextRecordFile.Read(Path.Combine(folder, "raw.tsv")).DistinctBy(r => r.Id).ToList();

        Assert.Equal(9, fromFile.Count);
        Assert.Equal(fromFile.Select(r => (r.Id, r.Text)), fromFolder.Select(q => (q.Id, q.Text!)));
    }

    [Fact]
    public void FolderWithoutRawTsvIsNamedInTheError()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<DiscoException>(() => TextRecordFile.Read(dir.Path).ToList());

        Assert.Contains("without raw.tsv", e.Message, StringComparison.Ordinal);
    }
}
