using System.Text.Json;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.Interop.Ciff;
using Disco.TestSupport;

namespace Disco.Interop.Tests;

public class CiffTests
{
    private static List<TermVector> Documents() => [.. VectorFile.Read(InteropFixtures.Path("vectors-str.jsonl"))];

    private static string BuildFloatIndex(TempDirectory temp, string name = "float")
    {
        var dir = temp.File(name);
        using var builder = new IndexBuilder(dir);
        foreach (var d in Documents())
            builder.Add(d);
        builder.Complete();
        return dir;
    }

    /// <summary>The documents with weights round(w × scale) (half to even), zeros dropped: what a CIFF export holds.</summary>
    private static List<TermVector> Quantized(float scale) =>
        [.. Documents().Select(d =>
        {
            var kept = d.Terms.Zip(d.Weights).Select(p => (p.First, MathF.Round(p.Second * scale, MidpointRounding.ToEven))).Where(p => p.Item2 > 0).ToList();
            return new TermVector(d.Id, [.. kept.Select(p => p.First)], [.. kept.Select(p => p.Item2)]);
        })];

    [Theory]
    [InlineData(100f)]
    [InlineData(3f)]
    public void Export_holds_the_rounded_postings_as_an_independent_decoder_reads_them(float scale)
    {
        using var temp = new TempDirectory();
        using var index = SparseIndex.Open(BuildFloatIndex(temp));
        var file = temp.File("out.ciff");
        CiffExport.Export(index, file, scale);
        var ciff = WireDecoder.Read(File.ReadAllBytes(file));

        var expected = new Dictionary<string, List<(int, int)>>();
        var quantized = Quantized(scale);
        for (var d = 0; d < quantized.Count; d++)
        {
            for (var i = 0; i < quantized[d].Terms.Length; i++)
            {
                expected.TryAdd(quantized[d].Terms[i], []);
                expected[quantized[d].Terms[i]].Add((d, (int)quantized[d].Weights[i]));
            }
        }
        Assert.Equal(1L, ciff.Header[1]);
        Assert.Equal((long)expected.Count, ciff.Header[2]);
        Assert.Equal((long)quantized.Count, ciff.Header[3]);
        Assert.Contains($"scale={scale}", (string)ciff.Header[8], StringComparison.Ordinal);
        Assert.Contains(index.Directory, (string)ciff.Header[8], StringComparison.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), ciff.Lists.Select(l => l.Term).Order(StringComparer.Ordinal));
        foreach (var (term, df, cf, postings) in ciff.Lists)
        {
            Assert.Equal(expected[term], postings);
            Assert.Equal(postings.Count, df);
            Assert.Equal(postings.Sum(p => (long)p.Tf), cf);
        }
        Assert.Equal(quantized.Select((d, i) => ((long)i, d.Id, (long)d.Weights.Sum())), ciff.Docs);
    }

    [Fact]
    public void Export_then_import_then_search_equals_search_over_the_quantized_index()
    {
        using var temp = new TempDirectory();
        using var source = SparseIndex.Open(BuildFloatIndex(temp));
        var file = temp.File("out.ciff");
        CiffExport.Export(source, file);
        var imported = temp.File("imported");
        CiffImport.Import(file, imported);
        var reference = temp.File("quantized");
        using (var builder = new IndexBuilder(reference))
        {
            foreach (var d in Quantized(100f))
                builder.Add(d);
            builder.Complete();
        }
        using var a = SparseIndex.Open(imported, verifyChecksums: true);
        using var b = SparseIndex.Open(reference);
        Assert.Equal(b.PostingCount, a.PostingCount);
        var random = new Random(11);
        var vocabulary = InteropFixtures.Vocabulary;
        for (var q = 0; q < 40; q++)
        {
            var terms = Enumerable.Range(0, random.Next(1, 8)).Select(_ => vocabulary[random.Next(5, vocabulary.Count)]).Distinct().ToArray();
            // Integer query weights keep every sum exact, so the order terms are added in cannot matter.
            var vector = new TermVector($"q{q}", terms, [.. terms.Select(_ => (float)random.Next(1, 6))]);
            // Block-max search needs its section, which neither index has.
            foreach (var algorithm in Enum.GetValues<SearchAlgorithm>().Where(x => x != SearchAlgorithm.BlockMax))
            {
                var hitsA = new IndexSearcher(a).Search(SearchQuery.Create(a, vector), 10, algorithm).Select(h => (a.DocumentId(h.Doc), h.Score));
                var hitsB = new IndexSearcher(b).Search(SearchQuery.Create(b, vector), 10, algorithm).Select(h => (b.DocumentId(h.Doc), h.Score));
                Assert.Equal(hitsB, hitsA);
            }
        }
    }

    [Fact]
    public void A_ciff_file_written_by_another_tool_imports_with_its_terms_postings_and_ids()
    {
        using var temp = new TempDirectory();
        var output = temp.File("index");
        var meta = CiffImport.Import(InteropFixtures.Path("external.ciff"), output);
        using var expected = JsonDocument.Parse(File.ReadAllText(InteropFixtures.Path("external.json")));
        using var index = SparseIndex.Open(output, verifyChecksums: true);
        var docs = expected.RootElement.GetProperty("docs").EnumerateArray().Select(d => d[1].GetString()).ToList();
        Assert.Equal(docs, Enumerable.Range(0, index.DocumentCount).Select(index.DocumentId));
        var lists = expected.RootElement.GetProperty("lists").EnumerateArray().ToList();
        Assert.Equal(lists.Count, index.TermCount);
        foreach (var list in lists)
        {
            var t = index.TermId(list.GetProperty("term").GetString()!)!.Value;
            var (d, impacts) = index.ReadPostings(t);
            var postings = list.GetProperty("postings").EnumerateArray().Select(p => (p[0].GetInt32(), (float)p[1].GetInt32())).ToList();
            Assert.Equal(postings, d.Zip(impacts));
        }
        Assert.Contains("not by Disco", meta.Build["ciffDescription"], StringComparison.Ordinal);
    }

    [Fact]
    public void Integer_impacts_can_be_stored_as_uint16_codes_exactly_and_uint8_refuses_what_does_not_fit()
    {
        using var temp = new TempDirectory();
        var output = temp.File("u16");
        CiffImport.Import(InteropFixtures.Path("external.ciff"), output, new CiffImportOptions(Impacts: ImpactEncoding.UInt16));
        using (var index = SparseIndex.Open(output))
        {
            Assert.Equal(1f, index.Scale);
            Assert.Equal([65535f], index.ReadPostings(index.TermId("fig")!.Value).Impacts);
        }
        var e = Assert.Throws<DataFormatException>(() => CiffImport.Import(InteropFixtures.Path("external.ciff"), temp.File("u8"), new CiffImportOptions(Impacts: ImpactEncoding.UInt8)));
        Assert.Contains("does not fit uint8", e.Message, StringComparison.Ordinal);
        Assert.True(InteropFixtures.NothingAt(temp.File("u8")));
    }

    [Fact]
    public void A_ciff_file_cut_anywhere_is_one_line_naming_it_and_nothing_is_left()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(InteropFixtures.Path("external.ciff"));
        for (var cut = 0; cut < bytes.Length; cut += 7)
        {
            var file = temp.File($"cut{cut}.ciff");
            File.WriteAllBytes(file, bytes[..cut]);
            var output = temp.File($"index{cut}");
            var e = Assert.Throws<DataFormatException>(() => CiffImport.Import(file, output));
            Assert.StartsWith(file + ": ", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.True(InteropFixtures.NothingAt(output), $"cut {cut}");
        }
    }

    [Theory]
    [InlineData(1, 0, "postings list 7 of 7 is not a PostingsList .*do the header's counts match the body")]
    [InlineData(-1, 0, "is not a DocRecord")]
    [InlineData(0, 1, "ends after 12 document records; the header announces 13")]
    [InlineData(0, -1, "docid 11 is not below the 11 document records the header announces")]
    public void A_header_whose_counts_disagree_with_the_body_is_refused(int extraLists, int extraDocs, string problem)
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(InteropFixtures.Path("external.ciff"));
        var pos = 0;
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[pos++];
            length |= (b & 0x7f) << shift;
            if (b < 0x80)
                break;
        }
        var header = CiffHeader.Parse(new Google.Protobuf.CodedInputStream(bytes, pos, length));
        header.NumPostingsLists += extraLists;
        header.NumDocRecords += extraDocs;
        var file = temp.File("bad.ciff");
        using (var stream = File.Create(file))
        {
            using (var output = new Google.Protobuf.CodedOutputStream(stream, leaveOpen: true))
            {
                output.WriteLength(header.CalculateSize());
                header.WriteTo(output);
            }
            stream.Write(bytes, pos + length, bytes.Length - pos - length);
        }
        var out_ = temp.File("index");
        var e = Assert.Throws<DataFormatException>(() => CiffImport.Import(file, out_));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(e.Message, problem), e.Message);
        Assert.StartsWith(file + ": ", e.Message, StringComparison.Ordinal);
        Assert.True(InteropFixtures.NothingAt(out_));
    }
}
