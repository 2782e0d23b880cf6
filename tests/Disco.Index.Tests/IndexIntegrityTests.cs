using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// Corruption is detected by default (docs/index-format.md, "Integrity"): any damaged byte of any
/// index file either makes opening or searching fail with a one-line error, or changes nothing
/// that a reader can observe; with --verify it always fails at open. Silently wrong results are
/// impossible.
/// </summary>
public sealed class IndexIntegrityTests
{
    private static readonly RandomCollection Collection = new(seed: 21, maxDocs: 400, maxVocabulary: 60);

    /// <summary>Everything a reader can get out of an index: ids, terms, postings, and every algorithm's ranking of every query.</summary>
    private static string Observe(string path, bool verify)
    {
        using var index = SparseIndex.Open(path, verify);
        var text = new StringBuilder();
        for (var d = 0; d < index.DocumentCount; d++)
            text.Append(index.DocumentId(d)).Append('\n');
        for (var t = 0; t < index.TermCount; t++)
        {
            var (docs, impacts) = index.ReadPostings(t);
            text.Append(index.Term(t)).Append(' ').Append(index.MaxImpact(t).ToString("R", CultureInfo.InvariantCulture)).Append(':');
            for (var i = 0; i < docs.Length; i++)
                text.Append(' ').Append(docs[i]).Append('=').Append(impacts[i].ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        var all = new TermVector("all", Collection.Vocabulary, [.. Collection.Vocabulary.Select((_, i) => 1f + (i % 3))]);
        var searcher = new IndexSearcher(index);
        foreach (var vector in Collection.Queries.Append(all))
        {
            var query = SearchQuery.Create(index, vector);
            foreach (var algorithm in ExactAlgorithms.Of(index))
            {
                foreach (var hit in searcher.Search(query, 1000, algorithm))
                    text.Append(index.DocumentId(hit.Doc)).Append(' ').Append(hit.Score.ToString("R", CultureInfo.InvariantCulture)).Append(';');
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    internal static void CopyIndex(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>Byte positions to damage: the header, the first and last bytes, and random ones.</summary>
    private static IEnumerable<int> Positions(int length, Random random)
    {
        var positions = new SortedSet<int> { 0, 8, 12, length - 1 };
        for (var i = 16; i < Math.Min(length, 24); i++)
            positions.Add(i);
        for (var i = 0; i < 24; i++)
            positions.Add(random.Next(length));
        return positions.Where(p => p < length);
    }

    [Fact]
    public void EveryFlippedByteInEveryFileIsDetectedOrChangesNothing()
    {
        using var dir = new TempDirectory();
        // The main files (the block-max section's checksums are tested with it, BlockMaxTests).
        var pristine = Collection.Build(dir.File("index"), blockMax: false);
        var expected = Observe(pristine, verify: false);
        Assert.Equal(expected, Observe(pristine, verify: true));
        var work = dir.File("work");
        var random = new Random(3);
        var files = Directory.GetFiles(pristine).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["blocks.bin", "checksums.bin", "docids.bin", "docoffsets.bin", "meta.json", "postings.bin", "terms.bin"], files);
        var report = new List<string>();
        foreach (var file in files)
        {
            var original = File.ReadAllBytes(Path.Combine(pristine, file!));
            int detectedByDefault = 0, detectedByVerify = 0, cases = 0;
            foreach (var position in Positions(original.Length, random))
            {
                cases++;
                var damaged = (byte[])original.Clone();
                damaged[position] ^= (byte)random.Next(1, 256);
                foreach (var verify in new[] { false, true })
                {
                    CopyIndex(pristine, work);
                    File.WriteAllBytes(Path.Combine(work, file!), damaged);
                    string observed;
                    try
                    {
                        observed = Observe(work, verify);
                    }
                    catch (DiscoException e)
                    {
                        Assert.DoesNotContain('\n', e.Message);
                        if (verify)
                            detectedByVerify++;
                        else
                            detectedByDefault++;
                        continue;
                    }
                    // Not detected: then nothing a reader sees may differ from the undamaged index.
                    Assert.True(expected == observed, $"{file} byte {position} (verify: {verify}): results changed without an error");
                }
            }
            report.Add($"{file}: {detectedByDefault}/{cases} by default, {detectedByVerify}/{cases} with verify");
            // Binary files: every byte is covered by a checksum that --verify reads. The reads
            // above touch every posting and id, so the default detects them all as well.
            if (file != "meta.json")
            {
                Assert.True(detectedByVerify == cases, string.Join("; ", report));
                Assert.True(detectedByDefault == cases || file == "postings.bin" && detectedByDefault >= cases - 1, string.Join("; ", report));
            }
            else
            {
                Assert.True(detectedByDefault >= cases - 2, string.Join("; ", report));
            }
        }
    }

    [Fact]
    public void DamagedPostingsAreFoundTheFirstTimeASearchReadsThemAndOnlyThere()
    {
        // Enough postings for several 64 KB chunks; a term whose postings lie in the last chunk is
        // damaged, and searches for a term in the first chunk still work.
        var random = new Random(5);
        var vocabulary = Enumerable.Range(0, 40).Select(i => $"t{i}").ToArray();
        var documents = Enumerable.Range(0, 20_000).Select(d =>
        {
            var terms = vocabulary.Where(_ => random.Next(4) == 0).ToArray();
            return new TermVector($"d{d}", terms, [.. terms.Select(_ => (float)random.NextDouble() + 0.01f)]);
        }).ToList();
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), documents);
        string firstTerm, lastTerm;
        using (var index = SparseIndex.Open(path))
        {
            Assert.True(new FileInfo(Path.Combine(path, "postings.bin")).Length > 4 * IndexIntegrity.ChunkBytes);
            firstTerm = index.Term(0);
            lastTerm = index.Term(index.TermCount - 1);
        }
        var postings = File.ReadAllBytes(Path.Combine(path, "postings.bin"));
        postings[postings.Length - IndexFormat.PostingsPadding - 3] ^= 0x10;
        File.WriteAllBytes(Path.Combine(path, "postings.bin"), postings);

        using var damaged = SparseIndex.Open(path);
        var searcher = new IndexSearcher(damaged);
        Assert.NotEmpty(searcher.Search(SearchQuery.Create(damaged, new TermVector("q", [firstTerm], [1f])), 10));
        foreach (var algorithm in ExactAlgorithms.Of(damaged))
        {
            var e = Assert.Throws<DiscoException>(() => searcher.Search(SearchQuery.Create(damaged, new TermVector("q", [lastTerm], [1f])), 10, algorithm));
            Assert.StartsWith(Path.Combine(path, "postings.bin") + ": bytes ", e.Message, StringComparison.Ordinal);
            Assert.EndsWith("the file is corrupted, rebuild the index", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ABatchSearchThatMeetsDamageFailsWithTheOneLineErrorNotAnAggregate()
    {
        using var dir = new TempDirectory();
        var path = Collection.Build(dir.File("index"));
        var postings = File.ReadAllBytes(Path.Combine(path, "postings.bin"));
        postings[IndexFormat.HeaderBytes + 1] ^= 0x01;
        File.WriteAllBytes(Path.Combine(path, "postings.bin"), postings);
        using var index = SparseIndex.Open(path);
        var queries = Collection.Queries.Select(q => SearchQuery.Create(index, q)).Append(SearchQuery.Create(index, new TermVector("all", Collection.Vocabulary, [.. Collection.Vocabulary.Select(_ => 1f)]))).ToList();
        foreach (var threads in new[] { 1, 3 })
        {
            var e = Assert.Throws<DiscoException>(() => new IndexSearcher(index).SearchBatch(queries, 10, SearchAlgorithm.TermAtATime, threads));
            Assert.Contains("postings.bin", e.Message, StringComparison.Ordinal);
        }
    }

    private static string EditMeta(string path, Action<JsonObject> edit, bool reseal)
    {
        var metaPath = Path.Combine(path, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        edit(meta);
        if (reseal)
            IndexMetadata.Seal(meta);
        File.WriteAllText(metaPath, meta.ToJsonString());
        return path;
    }

    [Theory]
    [InlineData("scale", false, "checksum")]
    [InlineData("documents", false, "checksum")]
    [InlineData("scale", true, "terms.bin: inconsistent entry for term")]
    [InlineData("scale0", true, "uint8 impacts need a positive finite scale, found 0")]
    [InlineData("scaleNaN", true, "invalid index metadata")]
    [InlineData("noScale", true, "uint8 impacts need a positive finite scale, found none")]
    [InlineData("noVersion", true, "\"version\" is missing")]
    [InlineData("noFormat", true, "not a Disco index (format missing")]
    [InlineData("float32", true, "float32 impacts have no scale")]
    [InlineData("uint16", true, "postings.bin: size does not match")]
    [InlineData("documents", true, "docoffsets.bin: size does not match")]
    [InlineData("postings", true, "postings.bin: size does not match")]
    [InlineData("unknownMember", true, "could not be mapped")]
    [InlineData("noChecksum", false, "\"metaCrc32C\" is missing")]
    [InlineData("integrityVersion", true, "integrity version 9 is not supported")]
    [InlineData("dropChecksumsFile", true, "the \"integrity\" section does not match")]
    [InlineData("dropChunkedFile", true, "the \"integrity\" section does not match")]
    public void MetaJsonIsChecksummedAndCrossCheckedAgainstTheFiles(string edit, bool reseal, string message)
    {
        using var dir = new TempDirectory();
        var path = Collection.Build(dir.File("index"), ImpactEncoding.UInt8);
        EditMeta(path, meta =>
        {
            switch (edit)
            {
                case "scale": meta["scale"] = meta["scale"]!.GetValue<float>() * 1.5f; break;
                case "scale0": meta["scale"] = 0; break;
                case "scaleNaN": meta["scale"] = "NaN"; break;
                case "noScale": meta.Remove("scale"); break;
                case "noVersion": meta.Remove("version"); break;
                case "noFormat": meta.Remove("format"); break;
                case "float32": meta["impacts"] = "float32"; break;
                case "uint16": meta["impacts"] = "uint16"; break;
                case "documents": meta["documents"] = meta["documents"]!.GetValue<int>() - 1; break;
                case "postings": meta["postings"] = meta["postings"]!.GetValue<long>() - 1; break;
                case "unknownMember": meta["compression"] = "zstd"; break;
                case "noChecksum": meta.Remove("metaCrc32C"); break;
                case "integrityVersion": meta["integrity"]!["version"] = 9; break;
                case "dropChecksumsFile": meta["files"]!.AsObject().Remove("checksums.bin"); break;
                case "dropChunkedFile": meta["integrity"]!["files"] = new JsonArray("postings.bin"); break;
                default: throw new ArgumentException(edit);
            }
        }, reseal);
        var e = Assert.ThrowsAny<DiscoException>(() => SparseIndex.Open(path));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AChangedRangeSizeIsAnErrorOrChangesNothing()
    {
        // Ranges of 2^8 documents over 400 documents; the metadata claims other sizes, resealed.
        using var dir = new TempDirectory();
        var pristine = Collection.Build(dir.File("index"), rangeBits: 8);
        var expected = Observe(pristine, verify: false);
        foreach (var bits in new[] { 4, 7, 9, 16 })
        {
            var work = dir.File($"work{bits}");
            CopyIndex(pristine, work);
            EditMeta(work, meta => meta["rangeBits"] = bits, reseal: true);
            var observed = "";
            var e = Record.Exception(() => observed = Observe(work, verify: false));
            Assert.True(e is DiscoException || observed == expected, $"rangeBits {bits}: {e?.GetType().Name} {e?.Message}");
        }
    }

    [Fact]
    public void IndexesWrittenBeforeChunkChecksumsAreCheckedInFullWhenOpened()
    {
        using var dir = new TempDirectory();
        var path = Collection.Build(dir.File("index"));
        var expected = Observe(path, verify: false);
        File.Delete(Path.Combine(path, "checksums.bin"));
        EditMeta(path, meta =>
        {
            meta.Remove("integrity");
            meta.Remove("metaCrc32C");
            meta["files"]!.AsObject().Remove("checksums.bin");
        }, reseal: false);
        Assert.Equal(expected, Observe(path, verify: false));
        var postings = File.ReadAllBytes(Path.Combine(path, "postings.bin"));
        postings[^1] ^= 0x01;
        File.WriteAllBytes(Path.Combine(path, "postings.bin"), postings);
        var e = Assert.Throws<DiscoException>(() => SparseIndex.Open(path));
        Assert.Contains("postings.bin: checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChunkChecksumsCoverTheFilesExactly()
    {
        // An independent computation: CRC-32C of each 64 KB piece of the written files.
        var documents = Enumerable.Range(0, 30_000).Select(d => new TermVector($"document-{d}", ["a", "b", $"c{d % 7}"], [1f, 0.5f + (d % 5), 2f])).ToList();
        using var dir = new TempDirectory();
        var path = TestIndex.Build(dir.File("index"), documents);
        var checksums = File.ReadAllBytes(Path.Combine(path, "checksums.bin"));
        var expected = new List<byte>(Encoding.ASCII.GetBytes("DSCCHKSM")) { 1, 0, 0, 0, 0, 0, 0, 0 };
        foreach (var file in new[] { "postings.bin", "docids.bin" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(path, file));
            Assert.True(file != "postings.bin" || bytes.Length > 2 * 65536);
            for (var at = 0; at < bytes.Length; at += 65536)
                expected.AddRange(BitConverter.GetBytes(Crc32CTests.Bitwise(bytes.AsSpan(at, Math.Min(65536, bytes.Length - at)))));
        }
        Assert.Equal(expected.ToArray(), checksums);
    }
}
