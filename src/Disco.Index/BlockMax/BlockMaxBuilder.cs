using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Writes the block-max section (docs/index-format.md, "Block-max section") from an index's own
/// postings, term by term in one pass (memory: one term's postings and one dense row), as a section
/// of the index (<see cref="IndexSection"/>: a new generation, meta.json replaced atomically). A
/// planning pass (one more read of the postings, +35% build time at 1M documents) runs first only
/// under a size limit, or when the disk's free space may not hold the section (<see cref="UpperBytes"/>).
/// </summary>
internal static class BlockMaxBuilder
{
    /// <param name="freeBytes">The free bytes of a directory's disk (null: unknown); default the system's. A seam for tests.</param>
    public static IndexMetadata Add(string directory, BlockMaxBuildOptions options, Func<string, long?>? freeBytes = null)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        return IndexSection.Add(
            directory,
            BlockMaxFormat.FilePattern,
            meta => meta.BlockMax?.Files,
            (index, create) =>
            {
                var section = new BlockMaxMetadata
                {
                    Generation = (index.Metadata.BlockMax?.Generation ?? 0) + 1,
                    BlockBits = options.BlockBits,
                    Blocks = (int)(((long)index.DocumentCount + (1L << options.BlockBits) - 1) >> options.BlockBits),
                    DefaultBlocks = ApproximateSearch.DefaultBlocks,
                };
                // Decided before any file is written, so a section over its limit (or its disk) costs
                // one read of the postings, not a build; null: decided term by term while writing.
                var dense = DenseRows(index, section, options, (freeBytes ?? FreeBytes)(index.Directory));
                var files = new Dictionary<string, ChecksummedFile>();
                foreach (var (part, magic) in BlockMaxFormat.Parts)
                {
                    var name = BlockMaxFormat.FileName(section.Generation, part);
                    section.Files[part] = name;
                    files[part] = create(name);
                    files[part].Write(IndexFormat.Header(magic, BlockMaxFormat.Version));
                }
                Write(index, section, files, dense, options.DenseDivisor);
                foreach (var f in files.Values)
                    f.Complete();
                var checksums = BlockMaxFormat.FileName(section.Generation, IndexSection.ChecksumsPart);
                section.Files[IndexSection.ChecksumsPart] = checksums;
                IndexSection.WriteChecksums(create(checksums), BlockMaxFormat.Parts.Select(p => files[p.Part]));
                return section;
            },
            (meta, section) =>
            {
                section.BuildSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
                meta.BlockMax = section;
            });
    }

    /// <summary>
    /// Which terms get a dense row: those with entries in at least 1/<see cref="BlockMaxBuildOptions.DenseDivisor"/>
    /// of the blocks (32 by default: on the clustered 1M collection every term, 12.1 bytes of section
    /// per posting against 9.9 at the smallest; docs/benchmarks.md), less the rows of the terms in
    /// fewest blocks while the section exceeds <see cref="BlockMaxBuildOptions.MaxBytes"/>, or else
    /// the smallest section (<see cref="Smallest"/>). Refuses a section over that limit (with the
    /// smallest size possible), or over <paramref name="free"/> bytes (null: unknown), with its size.
    /// Null without a limit when <see cref="UpperBytes"/> fits the free space: then the rule needs only
    /// each term's own entries, so <see cref="Write"/> decides it term by term without this extra
    /// read of the postings, with the same choices.
    /// </summary>
    internal static bool[]? DenseRows(SparseIndex index, BlockMaxMetadata section, BlockMaxBuildOptions options, long? free)
    {
        if (options.MaxBytes is null && (free is null || UpperBytes(index, section, options.DenseDivisor) <= free))
            return null;
        var entries = new int[index.TermCount];
        var cursor = new PostingCursor(index);
        for (var t = 0; t < index.TermCount; t++)
        {
            var last = -1;
            for (cursor.Reset(t); cursor.Doc != int.MaxValue; cursor.Next())
            {
                var b = cursor.Doc >> section.BlockBits;
                entries[t] += b != last ? 1 : 0;
                last = b;
            }
        }
        var postingBytes = index.PostingCount * BlockMaxIndex.PostingBytesEach;
        var dense = new bool[index.TermCount];
        long rare = 0;
        var rows = 0;
        for (var t = 0; t < dense.Length; t++)
        {
            dense[t] = HasRow(entries[t], section.Blocks, options.DenseDivisor);
            rows += dense[t] ? 1 : 0;
            rare += dense[t] ? 0 : entries[t];
        }
        var bytes = SectionBytes(index.TermCount, section.Blocks, postingBytes, rare, rows);
        if (options.MaxBytes is long limit && bytes > limit)
        {
            // A row costs the same for every term; listing a term's entries costs 9 bytes each: the
            // terms in fewest blocks save the most, and their rows help search least.
            var rowBytes = RowBytes(section.Blocks);
            foreach (var t in Enumerable.Range(0, dense.Length).Where(t => dense[t]).OrderBy(t => entries[t]))
            {
                if (bytes <= limit || (long)entries[t] * RareEntryBytes >= rowBytes)
                    break;
                dense[t] = false;
                rows--;
                rare += entries[t];
                bytes = SectionBytes(index.TermCount, section.Blocks, postingBytes, rare, rows);
            }
            if (bytes > limit)
            {
                // Taking rows away from the rule's choice is not always enough: with a small
                // DenseDivisor, terms listed by the rule may be smaller with a row.
                var (smallest, rowTerms) = Smallest(index.TermCount, section.Blocks, postingBytes, entries);
                if (smallest > limit)
                {
                    var (need, cap) = Sizes(smallest, limit);
                    throw new DiscoException(
                        $"{index.Directory}: the block-max section needs at least {need} ({Size(postingBytes)} of postings, 5 bytes each, and the blocks' maxima and counts), over the limit of {cap}; raise the limit (--block-max-limit) or build no block-max section");
                }
                Array.Clear(dense);
                foreach (var t in rowTerms)
                    dense[t] = true;
                bytes = smallest;
            }
        }
        if (free is long space && bytes > space)
        {
            var (need, has) = Sizes(bytes, space);
            throw new DiscoException(
                $"{index.Directory}: the block-max section needs {need} and its disk has {has} free; free space, or bound the section with --block-max-limit (fewer dense rows: smaller, slower)");
        }
        return dense;
    }

    /// <summary>The rule of <see cref="BlockMaxBuildOptions.DenseDivisor"/>: a term with entries in at least 1/divisor of the blocks gets a dense row.</summary>
    private static bool HasRow(long entries, int blocks, int divisor) => entries > 0 && entries * divisor >= blocks;

    /// <summary>
    /// An upper bound of the section's size without a limit, from what the index knows without
    /// reading its postings: a term has at most min(postings, blocks) entries; it may get a dense
    /// row when that many reach 1/divisor of the blocks, and lists at most the entries of a term
    /// without a row (fewer than blocks/divisor when it could have one). Every term is counted with
    /// both its possible row and its most listed entries, so the bound holds whatever the rule picks.
    /// </summary>
    internal static long UpperBytes(SparseIndex index, BlockMaxMetadata section, int divisor)
    {
        long rare = 0;
        var rows = 0;
        var unrowed = Math.Max(0, (section.Blocks - 1L) / divisor);
        for (var t = 0; t < index.TermCount; t++)
        {
            var most = Math.Min(index.PostingLength(t), section.Blocks);
            rows += HasRow(most, section.Blocks, divisor) ? 1 : 0;
            rare += Math.Min(most, unrowed);
        }
        return SectionBytes(index.TermCount, section.Blocks, index.PostingCount * BlockMaxIndex.PostingBytesEach, rare, rows);
    }

    /// <summary>
    /// The smallest section any choice of rows gives, and the terms with a row in it. For a given
    /// number r of rows the section is smallest with the rows of the r terms in most blocks (it
    /// grows with the rare entries, whatever the rounding of its files to chunks), so the smallest
    /// over every choice is the smallest over r: one size per r, no term-by-term rule (a row for
    /// each term whose entries take more than a row ignores the chunks' checksums).
    /// </summary>
    internal static (long Bytes, int[] RowTerms) Smallest(int terms, int blocks, long postingBytes, int[] entries)
    {
        var byEntries = Enumerable.Range(0, entries.Length).Where(t => entries[t] > 0).OrderByDescending(t => entries[t]).ThenBy(t => t).ToArray();
        var rare = byEntries.Sum(t => (long)entries[t]);
        var best = SectionBytes(terms, blocks, postingBytes, rare, 0);
        var rows = 0;
        for (var r = 1; r <= byEntries.Length; r++)
        {
            rare -= entries[byEntries[r - 1]];
            var bytes = SectionBytes(terms, blocks, postingBytes, rare, r);
            // Ties go to more rows: the same size, faster bounds.
            if (bytes <= best)
                (best, rows) = (bytes, r);
        }
        return (best, byEntries[..rows]);
    }

    /// <summary>
    /// A size in a message, in the units of --block-max-limit (powers of 1000) that suit it, so a
    /// small section or limit does not read "0.00 GB"; rounded up, so a needed size given back as
    /// the limit is enough.
    /// </summary>
    internal static string Size(long bytes)
    {
        var (unit, name) = bytes switch { >= 1_000_000_000 => (1e9, "GB"), >= 1_000_000 => (1e6, "MB"), >= 1_000 => (1e3, "KB"), _ => (0.0, "") };
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(bytes / unit * 100) / 100:F2} {name}");
    }

    /// <summary>Two sizes compared in a message: exact bytes where their rounding would show them equal.</summary>
    private static (string, string) Sizes(long a, long b) =>
        Size(a) == Size(b) ? (string.Create(CultureInfo.InvariantCulture, $"{a} bytes"), string.Create(CultureInfo.InvariantCulture, $"{b} bytes")) : (Size(a), Size(b));

    /// <summary>Bytes of a rare term's entry: its block, maximum and offset.</summary>
    private const int RareEntryBytes = sizeof(int) + 1 + sizeof(uint);

    /// <summary>Bytes of a dense row: a maximum and a count per block, a group offset per 64 blocks.</summary>
    private static long RowBytes(int blocks)
    {
        var padded = BlockMaxIndex.PaddedBlockCount(blocks);
        return (2L * padded) + ((padded >> 6) * sizeof(uint));
    }

    /// <summary>Bytes of the section's files, headers and checksums part included (docs/index-format.md).</summary>
    internal static long SectionBytes(int terms, int blocks, long postingBytes, long rareEntries, int denseRows)
    {
        var padded = BlockMaxIndex.PaddedBlockCount(blocks);
        long[] payloads =
        [
            (long)terms * Unsafe.SizeOf<BlockMaxTerm>(), rareEntries * sizeof(int), rareEntries, rareEntries * sizeof(uint),
            (long)denseRows * padded, (long)denseRows * padded, (long)denseRows * (padded >> 6) * sizeof(uint), postingBytes,
        ];
        long total = 0, chunks = 0;
        foreach (var payload in payloads)
        {
            var file = IndexFormat.HeaderBytes + payload;
            total += file;
            chunks += (file + IndexIntegrity.ChunkBytes - 1) / IndexIntegrity.ChunkBytes;
        }
        return total + IndexFormat.HeaderBytes + (chunks * sizeof(uint));
    }

    /// <summary>Free bytes of the disk holding <paramref name="directory"/>, or null when the system does not say.</summary>
    private static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <param name="denseRows">Which terms get a dense row (<see cref="DenseRows"/>); null: the rule of <paramref name="divisor"/> on each term's entries.</param>
    private static void Write(SparseIndex index, BlockMaxMetadata section, Dictionary<string, ChecksummedFile> files, bool[]? denseRows, int divisor)
    {
        var bits = section.BlockBits;
        var padded = BlockMaxIndex.PaddedBlockCount(section.Blocks);
        var cursor = new PostingCursor(index);
        var docs = new List<int>();
        var impacts = new List<float>();
        var row = new byte[padded];
        var counts = new byte[padded];
        var groups = new uint[padded >> 6];
        var blocks = new List<int>();
        var maxima = new List<byte>();
        var offsets = new List<uint>();
        var data = new List<byte>();
        long entries = 0, rare = 0, bytes = 0;
        var rows = 0;
        // Entries expected in a random document order (each of a term's postings in a uniformly random block).
        var expected = 0.0;
        var perBlock = double.LogP1(-1.0 / section.Blocks);
        for (var t = 0; t < index.TermCount; t++)
        {
            docs.Clear();
            impacts.Clear();
            var max = 0f;
            for (cursor.Reset(t); cursor.Doc != int.MaxValue; cursor.Next())
            {
                docs.Add(cursor.Doc);
                impacts.Add(cursor.Impact);
                max = Math.Max(max, cursor.Impact);
            }
            // Offsets are term-relative uint32 (version 3): 4 bytes less per rare entry and per group.
            if ((long)docs.Count * BlockMaxIndex.PostingBytesEach > uint.MaxValue)
                throw new DiscoException($"{index.Directory}: term {t} has {docs.Count} postings, more than the block-max section holds for one term ({uint.MaxValue / BlockMaxIndex.PostingBytesEach})");
            // Rounded up until 255 codes reach the term's largest impact, so no code undercuts a block's maximum.
            var scale = max / 255f;
            while (max > 0 && 255 * (double)scale < max)
                scale = MathF.BitIncrement(scale);
            blocks.Clear();
            maxima.Clear();
            offsets.Clear();
            data.Clear();
            for (var i = 0; i < docs.Count;)
            {
                var b = docs[i] >> bits;
                var j = i;
                var blockMax = 0f;
                while (j < docs.Count && docs[j] >> bits == b)
                    blockMax = Math.Max(blockMax, impacts[j++]);
                blocks.Add(b);
                maxima.Add(Code(blockMax, scale));
                offsets.Add((uint)data.Count);
                // Impacts, then offsets in the block: one read of a few bytes per (term, block).
                data.AddRange(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(impacts).Slice(i, j - i)));
                for (var x = i; x < j; x++)
                    data.Add((byte)(docs[x] & ((1 << bits) - 1)));
                i = j;
            }
            var dense = denseRows?[t] ?? HasRow(blocks.Count, section.Blocks, divisor);
            var term = new BlockMaxTerm(bytes, rare, blocks.Count, dense ? rows++ : -1, scale, (uint)data.Count);
            files["terms"].Write(MemoryMarshal.AsBytes(new ReadOnlySpan<BlockMaxTerm>(in term)));
            files["postings"].Write(CollectionsMarshal.AsSpan(data));
            entries += blocks.Count;
            bytes += data.Count;
            if (docs.Count > 0)
                expected -= section.Blocks * double.ExpM1(docs.Count * perBlock);
            if (!dense)
            {
                // A dense row's maxima, counts and group offsets locate its entries: only rare terms list them.
                files["blocks"].Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(blocks)));
                files["maxima"].Write(CollectionsMarshal.AsSpan(maxima));
                files["offsets"].Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(offsets)));
                rare += blocks.Count;
                continue;
            }
            Array.Clear(row);
            Array.Clear(counts);
            // Per group of 64 blocks, where the postings of its first entry start (term-relative);
            // then a block's postings start at its group's offset plus the counts of the blocks before it.
            var at = 0;
            for (var g = 0; g < groups.Length; g++)
            {
                groups[g] = at < blocks.Count ? offsets[at] : (uint)data.Count;
                for (; at < blocks.Count && blocks[at] < (g + 1) << 6; at++)
                {
                    row[blocks[at]] = maxima[at];
                    counts[blocks[at]] = (byte)(((at + 1 < blocks.Count ? offsets[at + 1] : (uint)data.Count) - offsets[at]) / BlockMaxIndex.PostingBytesEach);
                }
            }
            files["dense"].Write(row);
            files["counts"].Write(counts);
            files["groups"].Write(MemoryMarshal.AsBytes(groups.AsSpan()));
        }
        section.Entries = entries;
        section.RareEntries = rare;
        section.Clustering = expected > 0 ? Math.Round(entries / expected, 4) : 1.0;
        section.DenseRows = rows;
        section.PostingBytes = bytes;
    }

    /// <summary>
    /// The smallest 8-bit code whose value <c>code × scale</c> is at least <paramref name="max"/>
    /// (exactly, in double precision), so a bound made of codes never undercuts a score; at least 1.
    /// </summary>
    internal static byte Code(float max, float scale)
    {
        if (scale <= 0)
            return 1;
        var code = Math.Clamp((int)Math.Ceiling(max / (double)scale), 1, 255);
        while (code < 255 && code * (double)scale < max)
            code++;
        return (byte)code;
    }
}
