using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// The optional sections (approximate search, block-max) are checked lazily (docs/index-format.md,
/// "Integrity"): opening reads only their term tables and checksums part; every other byte is
/// checked against its chunk's checksum the first time a search reads it, so damage is a one-line
/// error naming the file at first use (or at open with --verify), and never a silently wrong result.
/// </summary>
public sealed class SectionIntegrityTests
{
    private static readonly RandomCollection Small = new(seed: 23, maxDocs: 400, maxVocabulary: 60);

    private static IndexBuildOptions BothSections(int listSize = AnnBuildOptions.DefaultListSize) =>
        new() { Ann = new AnnBuildOptions(listSize), BlockMax = new BlockMaxBuildOptions(3) };

    /// <summary>Every result that reads the sections: block-max exact and approximate, and approximate search re-scoring every document its head lists name.</summary>
    private static string Observe(string path, bool verify, string[] vocabulary, IEnumerable<TermVector> queries)
    {
        using var index = SparseIndex.Open(path, verify);
        var text = new StringBuilder();
        var all = new TermVector("all", vocabulary, [.. vocabulary.Select((_, i) => 1f + (i % 3))]);
        var searcher = new IndexSearcher(index);
        foreach (var vector in queries.Append(all))
        {
            var query = SearchQuery.Create(index, vector);
            foreach (var algorithm in new object[] { SearchAlgorithm.BlockMax, new ApproximateSearch(Blocks: 3), new ApproximateSearch(1 << 20, 1000) })
            {
                var hits = algorithm is SearchAlgorithm a ? searcher.Search(query, 1 << 20, a) : searcher.Search(query, 1 << 20, (ApproximateSearch)algorithm);
                foreach (var hit in hits)
                    text.Append(hit.Doc).Append(' ').Append(hit.Score.ToString("R", CultureInfo.InvariantCulture)).Append(';');
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    [Fact]
    public void EveryFlippedByteOfEverySectionFileIsDetectedOrChangesNothing()
    {
        using var dir = new TempDirectory();
        // Head lists of 1000 postings: every posting, so approximate search re-scores every document it touches.
        var pristine = TestIndex.Build(dir.File("index"), Small.Documents, BothSections(1000));
        var expected = Observe(pristine, verify: false, Small.Vocabulary, Small.Queries);
        Assert.Equal(expected, Observe(pristine, verify: true, Small.Vocabulary, Small.Queries));
        var files = Directory.GetFiles(pristine, "ann*").Concat(Directory.GetFiles(pristine, "bmax*")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(15, files.Count);
        Assert.Contains("ann1.checksums.bin", files);
        Assert.Contains("bmax1.checksums.bin", files);
        var work = dir.File("work");
        var random = new Random(7);
        foreach (var file in files)
        {
            var original = File.ReadAllBytes(Path.Combine(pristine, file!));
            var positions = new SortedSet<int> { 0, 8, 12, 15, original.Length - 1 };
            for (var i = 0; i < 6; i++)
                positions.Add(random.Next(original.Length));
            foreach (var position in positions.Where(p => p < original.Length))
            {
                var damaged = (byte[])original.Clone();
                damaged[position] ^= (byte)random.Next(1, 256);
                foreach (var verify in new[] { false, true })
                {
                    IndexIntegrityTests.CopyIndex(pristine, work);
                    File.WriteAllBytes(Path.Combine(work, file!), damaged);
                    string observed;
                    try
                    {
                        observed = Observe(work, verify, Small.Vocabulary, Small.Queries);
                    }
                    catch (DiscoException e)
                    {
                        Assert.DoesNotContain('\n', e.Message);
                        Assert.True(e.Message.Contains(file!.StartsWith("ann", StringComparison.Ordinal) ? "disco index ann" : "disco index blockmax", StringComparison.Ordinal), e.Message);
                        continue;
                    }
                    // --verify checks every byte of every file when the index opens.
                    Assert.False(verify, $"{file} byte {position}: not detected with verify");
                    Assert.True(expected == observed, $"{file} byte {position}: results changed without an error");
                }
            }
        }
    }

    /// <summary>20,000 documents over 40 terms: every section file spans several 64 KB chunks.</summary>
    private static (string Path, string[] Vocabulary) BuildLarge(TempDirectory dir, int listSize)
    {
        var random = new Random(5);
        var vocabulary = Enumerable.Range(0, 40).Select(i => $"t{i}").ToArray();
        var documents = Enumerable.Range(0, 20_000).Select(d =>
        {
            var terms = vocabulary.Where(_ => random.Next(4) == 0).ToArray();
            return new TermVector($"d{d}", terms, [.. terms.Select(_ => (float)random.NextDouble() + 0.01f)]);
        }).ToList();
        return (TestIndex.Build(dir.File("index"), documents, BothSections(listSize)), vocabulary);
    }

    private static void Flip(string file, long offset)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[offset] ^= 0x10;
        File.WriteAllBytes(file, bytes);
    }

    [Theory]
    [InlineData("bmax1.postings.bin")]
    [InlineData("bmax1.dense.bin")]
    [InlineData("bmax1.counts.bin")]
    [InlineData("ann1.heads.bin")]
    [InlineData("ann1.segments.bin")]
    public void DamageToATermIsFoundTheFirstTimeASearchReadsTheTermAndOnlyThere(string file)
    {
        using var dir = new TempDirectory();
        var (path, _) = BuildLarge(dir, listSize: 4000);
        // The terms whose data come first and last in each file; a byte of the last one's is damaged.
        // Term records as docs/index-format.md lays them out (32 bytes after the 16-byte header).
        var meta = IndexMetadata.Read(path);
        var first = 0;
        var last = meta.Terms - 1;
        long Field(string section, int offset) =>
            BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(Path.Combine(path, section == "ann" ? meta.Ann!.Files["terms"] : meta.BlockMax!.Files["terms"])).AsSpan(IndexFormat.HeaderBytes + (32 * last) + offset));
        var denseRow = (int)Field("bmax", 20);
        Assert.True(denseRow >= 0 && (int)Field("ann", 16) > 1000);
        var at = IndexFormat.HeaderBytes + file switch
        {
            "bmax1.postings.bin" => Field("bmax", 0) + 7,
            "bmax1.dense.bin" or "bmax1.counts.bin" => ((long)denseRow * BlockMaxIndex.PaddedBlockCount(meta.BlockMax!.Blocks)) + 3,
            "ann1.heads.bin" => (Field("ann", 0) * 4) + 5,
            _ => (Field("ann", 8) * 8) + 1,
        };
        // Postings and head lists span several chunks, so the first term's data lie in another chunk
        // than the damage; dense rows, counts and segments of 40 terms fit in one.
        var severalChunks = new FileInfo(Path.Combine(path, file)).Length > 2 * IndexIntegrity.ChunkBytes;
        Assert.Equal(file is "bmax1.postings.bin" or "ann1.heads.bin", severalChunks);
        Flip(Path.Combine(path, file), at);

        using var damaged = SparseIndex.Open(path);
        var searcher = new IndexSearcher(damaged);
        var approximate = file.StartsWith("ann", StringComparison.Ordinal);
        IndexHit[] Search(int term) => approximate
            ? searcher.Search(SearchQuery.Create(damaged, new TermVector("q", [damaged.Term(term)], [1f])), 10, new ApproximateSearch(100, 10))
            : searcher.Search(SearchQuery.Create(damaged, new TermVector("q", [damaged.Term(term)], [1f])), 10, SearchAlgorithm.BlockMax);
        if (severalChunks)
            Assert.NotEmpty(Search(first));
        var e = Assert.Throws<DiscoException>(() => Search(last));
        Assert.StartsWith(Path.Combine(path, file) + ": bytes ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"the file is corrupted, run `disco index {(approximate ? "ann" : "blockmax")}` again", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        // And again on the next search: a damaged chunk is never marked checked.
        Assert.Throws<DiscoException>(() => Search(last));
        Assert.Contains("checksum", Assert.Throws<DiscoException>(() => SparseIndex.Open(path, verifyChecksums: true)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ann1.forward.bin")]
    [InlineData("ann1.forwardIndex.bin")]
    public void DamageToAForwardRecordIsFoundWhenItsDocumentIsRescored(string file)
    {
        using var dir = new TempDirectory();
        var (path, vocabulary) = BuildLarge(dir, listSize: 1 << 20);
        Flip(Path.Combine(path, file), new FileInfo(Path.Combine(path, file)).Length - 2);
        using var damaged = SparseIndex.Open(path);
        var query = SearchQuery.Create(damaged, new TermVector("all", vocabulary, [.. vocabulary.Select(_ => 1f)]));
        // Every document is a candidate: the last one's record is read.
        var e = Assert.Throws<DiscoException>(() => new IndexSearcher(damaged).Search(query, 10, new ApproximateSearch(1 << 20, 100)));
        Assert.StartsWith(Path.Combine(path, file) + ": bytes ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("the file is corrupted, run `disco index ann` again", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASectionsChecksumsPartHoldsTheChecksumsOfEachChunkOfItsFilesInPartOrder()
    {
        using var dir = new TempDirectory();
        var (path, _) = BuildLarge(dir, listSize: 2000);
        var meta = IndexMetadata.Read(path);
        foreach (var (files, parts) in new[] { (meta.Ann!.Files, AnnFormat.Parts), (meta.BlockMax!.Files, BlockMaxFormat.Parts) })
        {
            // An independent computation: CRC-32C of each 64 KB piece of each part's file.
            var expected = new List<byte>(Encoding.ASCII.GetBytes("DSCSCHKS")) { 1, 0, 0, 0, 0, 0, 0, 0 };
            foreach (var (part, _) in parts)
            {
                var bytes = File.ReadAllBytes(Path.Combine(path, files[part]));
                for (var at = 0; at < bytes.Length; at += 65536)
                    expected.AddRange(BitConverter.GetBytes(Crc32CTests.Bitwise(bytes.AsSpan(at, Math.Min(65536, bytes.Length - at)))));
            }
            Assert.Equal(expected.ToArray(), File.ReadAllBytes(Path.Combine(path, files["checksums"])));
        }
    }

    [Fact]
    public void SectionsWrittenBeforeChecksumsPartsAreCheckedInFullWhenOpened()
    {
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), Small.Documents, BothSections(1000));
        var expected = Observe(path, verify: false, Small.Vocabulary, Small.Queries);
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        foreach (var section in new[] { "ann", "blockMax" })
        {
            var name = meta[section]!["files"]!["checksums"]!.GetValue<string>();
            meta[section]!["files"]!.AsObject().Remove("checksums");
            meta["files"]!.AsObject().Remove(name);
            File.Delete(Path.Combine(path, name));
        }
        IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
        Assert.Equal(expected, Observe(path, verify: false, Small.Vocabulary, Small.Queries));
        foreach (var file in new[] { "bmax1.postings.bin", "ann1.forward.bin" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(path, file));
            bytes[^1] ^= 0x01;
            File.WriteAllBytes(Path.Combine(path, file), bytes);
            var e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path));
            Assert.Contains($"{file}: checksum", e.Message, StringComparison.Ordinal);
            bytes[^1] ^= 0x01;
            File.WriteAllBytes(Path.Combine(path, file), bytes);
        }
    }

    [Theory]
    [InlineData("ann", "checksums", "ann1.segments.bin", "does not name its checksums file")]
    [InlineData("blockMax", "extra", "bmax1.postings.bin", "does not name its extra file")]
    public void A_section_naming_a_part_this_reader_does_not_know_or_a_wrong_file_is_refused(string section, string part, string name, string message)
    {
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), Small.Documents, BothSections(1000));
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        meta[section]!["files"]![part] = name;
        IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
        var e = Assert.ThrowsAny<DiscoException>(() => SparseIndex.Open(path));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_head_list_spanning_several_chunks_is_checked_in_the_middle_even_when_its_ends_passed_with_its_neighbours()
    {
        // "b" in every one of 100,000 documents: its head list (400 KB) spans seven chunks; "a" and
        // "c", in a few documents each, have their head lists in its first and last chunk.
        const int n = 100_000;
        var documents = Enumerable.Range(0, n).Select(d => d switch
        {
            < 10 => new TermVector($"d{d}", ["a", "b"], [1f, 1f + (d % 7)]),
            >= n - 10 => new TermVector($"d{d}", ["b", "c"], [1f + (d % 7), 1f]),
            _ => new TermVector($"d{d}", ["b"], [1f + (d % 7)]),
        }).ToList();
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), documents, new IndexBuildOptions { Ann = new AnnBuildOptions(n) });
        var heads = Path.Combine(path, IndexMetadata.Read(path).Ann!.Files["heads"]);
        Assert.True(new FileInfo(heads).Length > 6 * IndexIntegrity.ChunkBytes);
        Flip(heads, 3 * IndexIntegrity.ChunkBytes);
        using var index = SparseIndex.Open(path);
        var searcher = new IndexSearcher(index);
        IndexHit[] Search(string term) => searcher.Search(SearchQuery.Create(index, new TermVector("q", [term], [1f])), 10, new ApproximateSearch(100, 10));
        Assert.NotEmpty(Search("a"));
        Assert.NotEmpty(Search("c"));
        var e = Assert.Throws<DiscoException>(() => Search("b"));
        Assert.StartsWith($"{heads}: bytes {3 * IndexIntegrity.ChunkBytes}..", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forward_record_longer_than_the_vocabulary_is_refused_before_re_scoring_sizes_anything_by_it()
    {
        // More than 2^16 postings, so one record can claim more terms than 16-bit ids can name.
        var collection = new ClusteredTestCollection(seed: 5, documents: 3000, topics: 10, queries: 1);
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Ann = new AnnBuildOptions(ListSize: 1 << 20) });
        var meta = IndexMetadata.Read(path);
        Assert.Equal(2, meta.Ann!.TermBytes);
        var file = meta.Ann.Files["forwardIndex"];
        var bytes = File.ReadAllBytes(Path.Combine(path, file));
        // Document 0's record is made to run to the end of the forward file: every record's terms.
        var forwardLength = new FileInfo(Path.Combine(path, meta.Ann.Files["forward"])).Length;
        var stride = meta.Ann.TermBytes + IndexFormat.ImpactBytes(meta.ImpactEncoding);
        var start = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(IndexFormat.HeaderBytes));
        var end = start + ((forwardLength - start) / stride * stride);
        Assert.True((end - start) / stride > 1 << 16, $"{(end - start) / stride} terms");
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(IndexFormat.HeaderBytes + sizeof(long)), end);
        WriteResealed(path, "ann", file, bytes);
        using var index = SparseIndex.Open(path);
        var query = SearchQuery.Create(index, collection.Documents[0]);
        // Head lists hold every posting: document 0, which matches its own vector, is re-scored.
        var e = Assert.Throws<DiscoException>(() => new IndexSearcher(index).Search(query, 10, new ApproximateSearch(1 << 20, 1000)));
        Assert.Equal($"{Path.Combine(path, meta.Ann.Files["forward"])}: document 0 has a forward record of {(end - start) / stride} terms, more than the index has; the approximate-search files are damaged, run `disco index ann` again", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Head_list_segments_that_disagree_with_their_term_are_refused_even_with_matching_checksums(bool verify)
    {
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), Small.Documents, BothSections(1000));
        var meta = IndexMetadata.Read(path);
        var file = meta.Ann!.Files["segments"];
        var bytes = File.ReadAllBytes(Path.Combine(path, file));
        // The first segment's end, one past its term's head list (or the next segment's end).
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(IndexFormat.HeaderBytes + 4), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(IndexFormat.HeaderBytes + 4)) + 100_000);
        WriteResealed(path, "ann", file, bytes);
        DiscoException e;
        if (verify)
        {
            e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path, verifyChecksums: true));
        }
        else
        {
            using var index = SparseIndex.Open(path);
            var all = SearchQuery.Create(index, new TermVector("all", Small.Vocabulary, [.. Small.Vocabulary.Select(_ => 1f)]));
            e = Assert.Throws<DiscoException>(() => new IndexSearcher(index).Search(all, 10, new ApproximateSearch(1000, 1000)));
        }
        Assert.Contains($"{file}: inconsistent segment 0 of term 0", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("run `disco index ann` again", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ImpactEncoding.Float32)]
    [InlineData(ImpactEncoding.UInt8)]
    public void A_forward_offset_whose_record_length_overflows_is_refused_even_with_matching_checksums(ImpactEncoding impacts)
    {
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), Small.Documents, new IndexBuildOptions(impacts) { Ann = new AnnBuildOptions(1000) });
        var meta = IndexMetadata.Read(path);
        var file = meta.Ann!.Files["forwardIndex"];
        var bytes = File.ReadAllBytes(Path.Combine(path, file));
        // Document 0's record starts at 16; its end is set just past long.MinValue, so end - start
        // wraps to a length just under long.MaxValue, a multiple of the record stride, and start +
        // length wraps back to that (negative) end, under the file's length.
        var start = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(IndexFormat.HeaderBytes));
        var stride = meta.Ann.TermBytes + IndexFormat.ImpactBytes(impacts);
        var length = long.MaxValue - (long.MaxValue % stride);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(IndexFormat.HeaderBytes + sizeof(long)), unchecked(start + length));
        WriteResealed(path, "ann", file, bytes);
        using var index = SparseIndex.Open(path);
        var all = SearchQuery.Create(index, new TermVector("all", Small.Vocabulary, [.. Small.Vocabulary.Select(_ => 1f)]));
        // Head lists of 1000 postings hold every posting: document 0 is re-scored first.
        var e = Assert.Throws<DiscoException>(() => new IndexSearcher(index).Search(all, 10, new ApproximateSearch(1 << 20, 1000)));
        Assert.Equal($"{Path.Combine(path, meta.Ann.Files["forward"])}: document 0 has an invalid forward record; the approximate-search files are damaged, run `disco index ann` again", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_block_max_posting_past_the_last_document_is_refused_even_with_matching_checksums(bool approximate)
    {
        // Ten documents in blocks of 8: the last block holds documents 8 and 9, and its offsets 2 to 7 name none.
        var documents = Enumerable.Range(0, 10).Select(d => new TermVector($"d{d}", ["a"], [1f + d])).ToList();
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), documents, new IndexBuildOptions { BlockMax = new BlockMaxBuildOptions(3) });
        var file = IndexMetadata.Read(path).BlockMax!.Files["postings"];
        var bytes = File.ReadAllBytes(Path.Combine(path, file));
        // The section's postings end with the last block's: two impacts, then the offsets 0 and 1.
        Assert.Equal(1, bytes[^1]);
        bytes[^1] = 7;
        WriteResealed(path, "blockMax", file, bytes);
        using var index = SparseIndex.Open(path);
        var query = SearchQuery.Create(index, new TermVector("q", ["a"], [1f]));
        var searcher = new IndexSearcher(index);
        var e = Assert.Throws<DiscoException>(() => approximate ? searcher.Search(query, 10, new ApproximateSearch(Blocks: 2)) : searcher.Search(query, 10, SearchAlgorithm.BlockMax));
        Assert.Equal($"{Path.Combine(path, file)}: block 1 names document 15 of 10; the block-max files are damaged, run `disco index blockmax` again", e.Message);
    }

    [Theory]
    [InlineData(false, "repeated", false)]
    [InlineData(false, "out of order", false)]
    [InlineData(false, "past the block", false)]
    [InlineData(true, "repeated", false)]
    [InlineData(true, "out of order", false)]
    [InlineData(true, "past the block", false)]
    [InlineData(false, "out of order", true)]
    [InlineData(true, "repeated", true)]
    public unsafe void Block_max_offsets_repeated_out_of_order_or_past_the_block_are_refused_even_with_matching_checksums(bool denseRow, string problem, bool verify)
    {
        using var dir = new TempDirectory();
        // Divisor 1: rows only for terms in every block (none here), so every term lists its entries; a huge one: every term gets a row.
        var path = TestIndex.Build(dir.File("index"), Small.Documents, new IndexBuildOptions { BlockMax = new BlockMaxBuildOptions(3) { DenseDivisor = denseRow ? 1 << 30 : 1 } });
        var name = IndexMetadata.Read(path).BlockMax!.Files["postings"];
        var file = Path.Combine(path, name);
        // The first entry with two postings or more, of a term with or without a dense row, located
        // through the section's structures: the byte position of its first document offset in the file.
        int term = -1, block = -1;
        long at = -1;
        IndexHit[] expected;
        using (var pristine = SparseIndex.Open(path))
        {
            var bm = pristine.BlockMax!;
            for (var t = 0; t < pristine.TermCount && term < 0; t++)
            {
                var e = bm.Term(t);
                if (e.Entries == 0 || e.DenseRow >= 0 != denseRow)
                    continue;
                // The term's entries in order: (block, postings), each starting where the one before ends.
                var entries = new List<(int Block, int Postings)>();
                for (var i = 0; i < (denseRow ? bm.Blocks : e.Entries); i++)
                {
                    if (denseRow)
                    {
                        int count = bm.Counts[((long)e.DenseRow * bm.PaddedBlocks) + i];
                        if (count > 0)
                            entries.Add((i, count));
                        continue;
                    }
                    var end = i + 1 < e.Entries ? bm.RareOffsets[e.FirstEntry + i + 1] : e.PostingBytes;
                    entries.Add((bm.RareBlocks[e.FirstEntry + i], (int)((end - bm.RareOffsets[e.FirstEntry + i]) / BlockMaxIndex.PostingBytesEach)));
                }
                long start = 0;
                foreach (var (b, n) in entries)
                {
                    if (n >= 2)
                    {
                        (term, block, at) = (t, b, IndexFormat.HeaderBytes + e.PostingStart + start + (n * sizeof(float)));
                        break;
                    }
                    start += n * BlockMaxIndex.PostingBytesEach;
                }
            }
            Assert.True(term >= 0);
            expected = new IndexSearcher(pristine).Search(SearchQuery.Create(pristine, new TermVector("q", [pristine.Term(term)], [1f])), 10, SearchAlgorithm.TermAtATime);
            Assert.NotEmpty(expected);
        }
        var bytes = File.ReadAllBytes(file);
        var (first, second) = (bytes[at], bytes[at + 1]);
        Assert.True(first < second);
        // Blocks of 8 documents: offsets 0 to 7.
        (bytes[at], bytes[at + 1]) = problem switch { "repeated" => (first, first), "out of order" => (second, first), _ => (first, (byte)8) };
        WriteResealed(path, "blockMax", name, bytes);
        var found = problem switch
        {
            "repeated" => $"document offsets {first} then {first} in block {block}, repeated",
            "out of order" => $"document offsets {second} then {first} in block {block}, out of order",
            _ => $"document offset 8 in block {block}, past the block's 8 documents",
        };
        var message = $"{file}: term {term} has {found}; the block-max files are damaged, run `disco index blockmax` again";
        if (verify)
        {
            Assert.Equal(message, Assert.Throws<DiscoException>(() => SparseIndex.Open(path, verifyChecksums: true)).Message);
        }
        else
        {
            using var index = SparseIndex.Open(path);
            var query = SearchQuery.Create(index, new TermVector("q", [index.Term(term)], [1f]));
            var searcher = new IndexSearcher(index);
            Assert.Equal(message, Assert.Throws<DiscoException>(() => searcher.Search(query, 10, SearchAlgorithm.BlockMax)).Message);
            Assert.Equal(message, Assert.Throws<DiscoException>(() => searcher.Search(query, 10, new ApproximateSearch(Blocks: 2))).Message);
        }
        // The section is refused, not the index: exact term-at-a-time search reads only postings.bin.
        using var reopened = SparseIndex.Open(path);
        Assert.Equal(expected, new IndexSearcher(reopened).Search(SearchQuery.Create(reopened, new TermVector("q", [reopened.Term(term)], [1f])), 10, SearchAlgorithm.TermAtATime));
    }

    [Theory]
    [InlineData("ann", "too few")]
    [InlineData("ann", "too many")]
    [InlineData("blockMax", "too few")]
    [InlineData("blockMax", "too many")]
    [InlineData(null, "too few")]
    [InlineData(null, "too many")]
    public void A_malformed_checksums_file_that_matches_meta_json_is_refused_with_the_rebuild_hint(string? section, string malformed)
    {
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), Small.Documents, BothSections(1000));
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        var name = section is null ? IndexIntegrity.ChecksumsFile : meta[section]!["files"]!["checksums"]!.GetValue<string>();
        var remedy = section switch { "ann" => "run `disco index ann` again", "blockMax" => "run `disco index blockmax` again", _ => "rebuild the index" };
        var file = Path.Combine(path, name);
        var original = File.ReadAllBytes(file);
        // Written so (a writer's bug): meta.json records the file's size and checksum as they are.
        byte[] bytes = malformed == "too few" ? original[..^4] : [.. original, 1, 2, 3, 4];
        File.WriteAllBytes(file, bytes);
        meta["files"]![name]!["bytes"] = bytes.Length;
        meta["files"]![name]!["crc32C"] = IndexIntegrity.Hex(Crc32C.Compute(bytes));
        IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
        var e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path));
        // The last part's checksums are cut short, or 4 bytes follow the last one.
        var last = section switch { "ann" => AnnFormat.Parts[^1].Part, "blockMax" => BlockMaxFormat.Parts[^1].Part, _ => IndexIntegrity.ChunkedFiles[^1] };
        if (malformed == "too few")
            Assert.Equal($"{file}: holds too few chunk checksums for {last}; the file is damaged, {remedy}", e.Message);
        else
            Assert.Matches($"^{Regex.Escape(file)}: 4 bytes more than the chunk checksums of [^;]*{Regex.Escape(last)}; the file is damaged, {Regex.Escape(remedy)}$", e.Message);

        // The same hint as a checksums file that does not match meta.json.
        File.WriteAllBytes(file, original);
        var mismatch = Assert.Throws<DiscoException>(() => SparseIndex.Open(path));
        Assert.EndsWith($"; the index is truncated or damaged, {remedy}", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Threads_racing_to_a_damaged_chunk_all_fail_every_time_and_the_terms_beside_it_stay_exact()
    {
        using var dir = new TempDirectory();
        var (path, _) = BuildLarge(dir, listSize: 2000);
        var postings = Path.Combine(path, IndexMetadata.Read(path).BlockMax!.Files["postings"]);
        var damagedAt = new FileInfo(postings).Length / 2;
        Flip(postings, damagedAt);
        using var index = SparseIndex.Open(path);
        var bm = index.BlockMax!;
        // The term whose section postings hold the damaged byte, and one whose postings, rows and entries lie in other chunks.
        var damaged = Enumerable.Range(0, index.TermCount).Single(t => bm.Term(t).PostingStart <= damagedAt - IndexFormat.HeaderBytes && damagedAt - IndexFormat.HeaderBytes < bm.Term(t).PostingStart + bm.Term(t).PostingBytes);
        var chunk = (damagedAt >> IndexIntegrity.ChunkShift) << IndexIntegrity.ChunkShift;
        var clean = Enumerable.Range(0, index.TermCount).First(t => bm.Term(t).PostingStart + bm.Term(t).PostingBytes + IndexFormat.HeaderBytes <= chunk);
        var searcher = new IndexSearcher(index);
        SearchQuery Query(int t) => SearchQuery.Create(index, new TermVector("q", [index.Term(t)], [1f]));
        var expected = searcher.Search(Query(clean), 20, SearchAlgorithm.TermAtATime);
        Assert.NotEmpty(expected);
        const int threads = 16;
        var start = new Barrier(threads);
        var failures = new int[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 20; i++)
            {
                // Both orders: the damaged term first or the clean one, so a failed check meets a fresh scratch and a used one.
                foreach (var t in (thread + i) % 2 == 0 ? new[] { damaged, clean } : [clean, damaged])
                {
                    if (t == clean)
                    {
                        Assert.Equal(expected, searcher.Search(Query(clean), 20, SearchAlgorithm.BlockMax));
                        continue;
                    }
                    var e = Assert.Throws<DiscoException>(() => searcher.Search(Query(damaged), 20, SearchAlgorithm.BlockMax));
                    Assert.StartsWith($"{postings}: bytes {chunk}..", e.Message, StringComparison.Ordinal);
                    failures[thread]++;
                }
            }
        });
        Assert.All(failures, f => Assert.Equal(20, f));
    }

    /// <summary>Rewrites a section file and makes its checksums agree (chunk checksums and meta.json), as a build that wrote wrong structures would.</summary>
    internal static void WriteResealed(string path, string section, string file, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(path, file), bytes);
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        var parts = section == "ann" ? AnnFormat.Parts : BlockMaxFormat.Parts;
        var checksums = new List<byte>(Encoding.ASCII.GetBytes("DSCSCHKS")) { 1, 0, 0, 0, 0, 0, 0, 0 };
        foreach (var (part, _) in parts)
        {
            var content = File.ReadAllBytes(Path.Combine(path, meta[section]!["files"]![part]!.GetValue<string>()));
            for (var at = 0; at < content.Length; at += IndexIntegrity.ChunkBytes)
                checksums.AddRange(BitConverter.GetBytes(Crc32C.Compute(content.AsSpan(at, Math.Min(IndexIntegrity.ChunkBytes, content.Length - at)))));
        }
        var checksumsName = meta[section]!["files"]!["checksums"]!.GetValue<string>();
        File.WriteAllBytes(Path.Combine(path, checksumsName), [.. checksums]);
        meta["files"]![file]!["crc32C"] = IndexIntegrity.Hex(Crc32C.Compute(bytes));
        meta["files"]![checksumsName]!["crc32C"] = IndexIntegrity.Hex(Crc32C.Compute([.. checksums]));
        IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
    }
}
