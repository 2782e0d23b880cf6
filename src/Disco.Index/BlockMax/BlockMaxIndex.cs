using Disco.Core;

namespace Disco.Index;

/// <summary>
/// The block-max section of an index (docs/index-format.md, "Block-max section"), opened through
/// memory maps: blocks of 2^<see cref="BlockBits"/> consecutive documents (BMP, Mallia, Suel and
/// Tonellotto, SIGIR 2024); per term, the blocks it has postings in, each with an 8-bit upper bound
/// of the term's impacts there (rounded up, so bounds stay safe) and the term's postings of that
/// block (impact, then the document's offset in the block). Terms present in many blocks also keep
/// a dense row of maxima (one byte per block, 0 = absent) and of postings counts with an offset per
/// group of 64 blocks, so that summing a query's bounds over all blocks is a vector loop and a
/// block's postings are found without a search.
/// On a reordered index, blocks of similar documents make the bounds tight. Opening checks sizes,
/// headers and checksums of every file and every structure search indexes with.
/// </summary>
internal sealed unsafe class BlockMaxIndex : IDisposable
{
    /// <summary>Bytes of one posting: a float32 impact and a one-byte offset in the block.</summary>
    public const int PostingBytesEach = 5;

    /// <summary>What a damaged or missing section asks the user to do.</summary>
    public const string Remedy = "run `disco index blockmax` again";

    private readonly MappedFile[] _files;

    private BlockMaxIndex(string directory, IndexMetadata meta)
    {
        var section = meta.BlockMax!;
        Metadata = section;
        Documents = meta.Documents;
        TermCount = meta.Terms;
        BlockBits = section.BlockBits;
        Blocks = section.Blocks;
        PaddedBlocks = PaddedBlockCount(Blocks);
        DenseRows = section.DenseRows;
        Entries = section.Entries;
        PostingBytes = section.PostingBytes;
        var opened = new List<MappedFile>();
        try
        {
            MappedFile Map(string part)
            {
                var name = section.Files[part];
                if (!meta.Files.TryGetValue(name, out var info))
                    throw new DiscoException($"{Path.Combine(directory, name)}: not listed in meta.json");
                var f = new MappedFile(directory, name, info, BlockMaxFormat.Magic(part), BlockMaxFormat.Version);
                opened.Add(f);
                // Every file in full, as the index checks the files it has no chunk checksums for.
                SparseIndex.Verify(f, meta, Remedy);
                return f;
            }

            var terms = Map("terms");
            var blocks = Map("blocks");
            var maxima = Map("maxima");
            var entries = Map("entries");
            var dense = Map("dense");
            var counts = Map("counts");
            var groups = Map("groups");
            var postings = Map("postings");
            if (terms.DataLength != (long)TermCount * sizeof(BlockMaxTerm) || blocks.DataLength != Entries * sizeof(int) || maxima.DataLength != Entries
                || entries.DataLength != (Entries + 1) * sizeof(long) || dense.DataLength != (long)DenseRows * PaddedBlocks
                || counts.DataLength != (long)DenseRows * PaddedBlocks || groups.DataLength != (long)DenseRows * (PaddedBlocks >> 6) * sizeof(long)
                || postings.DataLength != PostingBytes)
                throw new DiscoException($"{Path.Combine(directory, IndexFormat.MetaFile)}: the block-max files do not match its counts; {Remedy}");
            Terms = (BlockMaxTerm*)terms.Data;
            PairBlocks = (int*)blocks.Data;
            PairMax = maxima.Data;
            PairData = (long*)entries.Data;
            Dense = dense.Data;
            Counts = counts.Data;
            Groups = (long*)groups.Data;
            Postings = postings.Data;
            Check(terms, blocks, entries);
            CheckDenseRows(counts, groups);
        }
        catch
        {
            foreach (var f in opened)
                f.Dispose();
            throw;
        }
        _files = [.. opened];
    }

    public BlockMaxMetadata Metadata { get; }

    public int Documents { get; }

    public int TermCount { get; }

    public int BlockBits { get; }

    /// <summary>Blocks of the collection (the last may be partial).</summary>
    public int Blocks { get; }

    /// <summary>Blocks rounded up to 64: the length of a dense row and of the bound array.</summary>
    public int PaddedBlocks { get; }

    public int DenseRows { get; }

    public long Entries { get; }

    public long PostingBytes { get; }

    public BlockMaxTerm* Terms { get; }

    /// <summary>Per entry, its block (a term's entries by increasing block).</summary>
    public int* PairBlocks { get; }

    /// <summary>Per entry, the code of the term's largest impact in the block.</summary>
    public byte* PairMax { get; }

    /// <summary>Per entry (plus one past the last) the byte offset of its postings in <see cref="Postings"/>.</summary>
    public long* PairData { get; }

    public byte* Dense { get; }

    /// <summary>Per dense row, the term's postings in each block (0: none).</summary>
    public byte* Counts { get; }

    /// <summary>Per dense row and group of 64 blocks: the byte offset in <see cref="Postings"/> of the term's first entry at or after the group.</summary>
    public long* Groups { get; }

    public byte* Postings { get; }

    public static int PaddedBlockCount(int blocks) => (blocks + 63) & ~63;

    public static BlockMaxIndex Open(string directory, IndexMetadata meta) => new(directory, meta);

    /// <summary>
    /// Everything search indexes with, so it reads without checks: term records consecutive,
    /// dense rows numbered in term order, each term's blocks increasing inside the collection,
    /// postings extents increasing by whole postings up to the end of the postings file.
    /// </summary>
    private void Check(MappedFile terms, MappedFile blocks, MappedFile entries)
    {
        long pair = 0;
        var row = 0;
        for (var t = 0; t < TermCount; t++)
        {
            var e = Terms[t];
            if (e.FirstPair != pair || e.Pairs < 0 || e.Pairs > Blocks || (e.DenseRow != -1 && e.DenseRow != row) || !float.IsFinite(e.Scale) || e.Scale < 0)
                throw Corrupt(terms, $"inconsistent record for term {t}");
            if (e.DenseRow >= 0)
                row++;
            pair += e.Pairs;
            if (pair > Entries)
                throw Corrupt(terms, $"term {t} reaches past the entries");
            var last = -1;
            for (var i = e.FirstPair; i < e.FirstPair + e.Pairs; i++)
            {
                if (PairBlocks[i] <= last || PairBlocks[i] >= Blocks)
                    throw Corrupt(blocks, $"entry {i} of term {t} has an invalid block");
                last = PairBlocks[i];
            }
        }
        if (pair != Entries || row != DenseRows)
            throw Corrupt(terms, "the term table does not cover the entries and dense rows");
        if (PairData[0] != 0 || PairData[Entries] != PostingBytes)
            throw Corrupt(entries, "the entries do not cover the postings");
        for (long i = 0; i < Entries; i++)
        {
            var bytes = PairData[i + 1] - PairData[i];
            if (bytes < PostingBytesEach || bytes > (long)PostingBytesEach << BlockBits || bytes % PostingBytesEach != 0)
                throw Corrupt(entries, $"entry {i} has an invalid extent");
        }
    }

    /// <summary>
    /// Every dense row's counts and group offsets against the term's entries, so that search can
    /// locate a block's postings from them alone and never reads outside the term's postings.
    /// </summary>
    private void CheckDenseRows(MappedFile counts, MappedFile groups)
    {
        for (var t = 0; t < TermCount; t++)
        {
            var e = Terms[t];
            if (e.DenseRow < 0)
                continue;
            var c = Counts + ((long)e.DenseRow * PaddedBlocks);
            var g = Groups + ((long)e.DenseRow * (PaddedBlocks >> 6));
            long i = e.FirstPair, end = e.FirstPair + e.Pairs;
            for (var b = 0; b < PaddedBlocks; b++)
            {
                if ((b & 63) == 0 && g[b >> 6] != PairData[i])
                    throw Corrupt(groups, $"dense row {e.DenseRow} has an invalid offset for group {b >> 6}");
                var expected = i < end && PairBlocks[i] == b ? (PairData[i + 1] - PairData[i]) / PostingBytesEach : 0;
                if (c[b] != expected)
                    throw Corrupt(counts, $"dense row {e.DenseRow} has an invalid count for block {b}");
                if (expected > 0)
                    i++;
            }
        }
    }

    /// <summary>An error for a structure found damaged during search.</summary>
    public DiscoException Corrupt(string problem) => Corrupt(_files[0], problem);

    private static DiscoException Corrupt(MappedFile file, string problem) => new($"{file.Path}: {problem}; the block-max files are damaged, {Remedy}");

    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
    }
}
