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
        var fromFile = TextRecordFile.Read(Path.Combine(folder, "raw.tsv")).ToList();

        Assert.NotEmpty(fromFile);
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
