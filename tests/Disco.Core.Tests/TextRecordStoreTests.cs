using System.Text;
using Disco.Core.Texts;
using Disco.TestSupport;

namespace Disco.Core.Tests;

public sealed class TextRecordStoreTests
{
    [Fact]
    public void Every_record_is_found_by_id_as_the_sequential_reader_reads_it()
    {
        using var dir = new TempDirectory();
        // Over a megabyte, so lines cross the scanner's chunk boundary; CRLF endings, a BOM and blank lines.
        var records = Enumerable.Range(0, 3000).Select(i => new TextRecord($"doc-{i}", $"passage {i} ü {new string('x', i % 700)}")).ToList();
        var tsv = dir.File("c.tsv");
        File.WriteAllText(tsv, "\uFEFF" + string.Join("\r\n", records.Select((r, i) => (i % 100 == 7 ? "\r\n" : "") + $"{r.Id}\t{r.Text}\textra")) + "\r\n", new UTF8Encoding(false));
        var jsonl = dir.File("c.jsonl");
        File.WriteAllLines(jsonl, records.Select(r => $$"""{"id": "{{r.Id}}", "title": "T", "text": "{{r.Text}}"}"""));
        foreach (var path in new[] { tsv, jsonl })
        {
            var sequential = TextRecordFile.Read(path).ToList();
            Assert.Equal(records.Count, sequential.Count);
            using var store = TextRecordStore.Open(path);
            Assert.Equal(records.Count, store.Count);
            foreach (var expected in sequential)
                Assert.Equal(expected, store.Find(expected.Id));
            Assert.Null(store.Find("doc-3000"));
            Assert.Null(store.Find(""));
        }
    }

    [Fact]
    public void A_repeated_id_finds_its_first_record_and_a_bad_line_names_the_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.tsv");
        File.WriteAllLines(path, ["a\tfirst", "b\tother", "a\tsecond"]);
        using (var store = TextRecordStore.Open(path))
            Assert.Equal("first", store.Find("a")!.Text);
        File.WriteAllLines(path, ["a\tfirst", "no tab here"]);
        var error = Assert.Throws<DataFormatException>(() => TextRecordStore.Open(path));
        Assert.Equal($"{path}:2: expected id<TAB>text", error.Message);
        Assert.Throws<DiscoException>(() => TextRecordStore.Open(dir.File("missing.tsv")));
    }
}
