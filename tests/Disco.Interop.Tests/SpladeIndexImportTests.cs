using Disco.Core;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.Index.Tests;
using Disco.TestSupport;

namespace Disco.Interop.Tests;

public class SpladeIndexImportTests
{
    private static IndexMetadata Import(string folder, string output, IReadOnlyList<string>? vocabulary = null)
    {
        using var import = SpladeIndexImport.Open(folder);
        return import.WriteTo(output, vocabulary ?? InteropFixtures.Vocabulary);
    }

    [Theory]
    [InlineData("splade-int", "vectors-int.jsonl")]
    [InlineData("splade-str", "vectors-str.jsonl")]
    public void An_imported_index_ranks_as_a_brute_force_oracle_over_the_same_vectors(string folder, string vectorsFile)
    {
        using var temp = new TempDirectory();
        var output = temp.File("index");
        var meta = Import(InteropFixtures.Path(folder), output);
        var documents = VectorFile.Read(InteropFixtures.Path(vectorsFile)).ToList();
        using var index = SparseIndex.Open(output, verifyChecksums: true);
        Assert.Equal(documents.Count, meta.Documents);
        Assert.Equal(documents.Select(d => d.Id), Enumerable.Range(0, index.DocumentCount).Select(index.DocumentId));
        var searcher = new IndexSearcher(index);
        var random = new Random(7);
        var vocabulary = InteropFixtures.Vocabulary;
        for (var q = 0; q < 40; q++)
        {
            var terms = Enumerable.Range(0, random.Next(1, 8)).Select(_ => vocabulary[random.Next(5, vocabulary.Count)]).Distinct().ToArray();
            var vector = new TermVector($"q{q}", terms, [.. terms.Select(_ => (float)random.NextDouble() * 2)]);
            var query = SearchQuery.Create(index, vector);
            foreach (var k in new[] { 1, 5, 100 })
            {
                var expected = BruteForceOracle.TopK(documents, query, index, k, ImpactEncoding.Float32);
                var actual = searcher.Search(query, k).Select(h => (index.DocumentId(h.Doc), h.Score)).ToList();
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Weights_are_kept_as_the_same_float32_bits_and_lists_by_vocabulary_id()
    {
        using var temp = new TempDirectory();
        var output = temp.File("index");
        Import(InteropFixtures.Path("splade-int"), output);
        var documents = VectorFile.Read(InteropFixtures.Path("vectors-int.jsonl")).ToList();
        using var index = SparseIndex.Open(output);
        var expected = new Dictionary<string, List<(int, float)>>();
        for (var d = 0; d < documents.Count; d++)
        {
            for (var i = 0; i < documents[d].Terms.Length; i++)
                expected.TryAdd(documents[d].Terms[i], []);
            for (var i = 0; i < documents[d].Terms.Length; i++)
                expected[documents[d].Terms[i]].Add((d, documents[d].Weights[i]));
        }
        Assert.Equal(expected.Count, index.TermCount);
        var vocabulary = InteropFixtures.Vocabulary;
        var order = Enumerable.Range(0, index.TermCount).Select(t => vocabulary.ToList().IndexOf(index.Term(t))).ToList();
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain(7, order);
        for (var t = 0; t < index.TermCount; t++)
        {
            var (docs, impacts) = index.ReadPostings(t);
            var want = expected[index.Term(t)];
            Assert.Equal(want.Select(p => p.Item1), docs);
            Assert.Equal(want.Select(p => BitConverter.SingleToInt32Bits(p.Item2)), impacts.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Mismatched_id_and_value_lengths_are_one_line_naming_the_file_and_dataset_and_nothing_is_left()
    {
        using var temp = new TempDirectory();
        var output = temp.File("index");
        var e = Assert.Throws<DataFormatException>(() => Import(InteropFixtures.Path("splade-bad-lengths"), output));
        Assert.Matches(@"array_index\.h5py: index_doc_id_\d+ has \d+ documents but index_doc_value_\d+ has \d+ values", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(InteropFixtures.NothingAt(output));
    }

    [Fact]
    public void An_internal_document_number_out_of_range_is_refused_naming_the_dataset()
    {
        using var temp = new TempDirectory();
        var output = temp.File("index");
        var e = Assert.Throws<DataFormatException>(() => Import(InteropFixtures.Path("splade-bad-range"), output));
        Assert.Matches(@"array_index\.h5py: index_doc_id_\d+\[\d+\] is document number 55, outside 0\.\.49", e.Message);
        Assert.True(InteropFixtures.NothingAt(output));
    }

    [Fact]
    public void A_truncated_hdf5_file_is_one_line_naming_it_and_nothing_is_left()
    {
        using var temp = new TempDirectory();
        var folder = InteropFixtures.CopyFolder("splade-int", temp.Path);
        var h5 = Path.Combine(folder, SpladeIndexImport.ArrayFile);
        var length = new FileInfo(h5).Length;
        foreach (var keep in new[] { length / 2, length - 100, 100L, 0L })
        {
            using (var stream = new FileStream(h5, FileMode.Open))
                stream.SetLength(keep);
            var output = temp.File($"index{keep}");
            var e = Assert.Throws<DataFormatException>(() => Import(folder, output));
            Assert.StartsWith(h5, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.True(InteropFixtures.NothingAt(output));
        }
    }

    [Fact]
    public void Repeated_document_ids_in_doc_ids_pkl_are_refused_naming_the_id_and_both_positions()
    {
        using var temp = new TempDirectory();
        var folder = InteropFixtures.CopyFolder("splade-int", temp.Path);
        File.Copy(InteropFixtures.Path("pickles", "repeated-p4.pkl"), Path.Combine(folder, SpladeIndexImport.DocIdsFile), overwrite: true);
        var output = temp.File("index");
        var e = Assert.Throws<DuplicateDocumentIdException>(() => Import(folder, output));
        Assert.Equal("dup-id", e.Id);
        Assert.EndsWith("doc_ids.pkl position 1", e.FirstSource, StringComparison.Ordinal);
        Assert.EndsWith("doc_ids.pkl position 3", e.SecondSource, StringComparison.Ordinal);
        Assert.True(InteropFixtures.NothingAt(output));
    }

    [Fact]
    public void A_vocabulary_smaller_than_the_term_ids_is_refused()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<DiscoException>(() => Import(InteropFixtures.Path("splade-int"), temp.File("index"), ["a", "b"]));
        Assert.Contains("vocabulary", e.Message, StringComparison.Ordinal);
    }
}
