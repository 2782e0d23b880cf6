using System.Runtime.CompilerServices;
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
/// On a reordered index, blocks of similar documents make the bounds tight.
/// Opening checks sizes and headers of every file and the term table (read whole, checked in
/// full); everything else is checked where search first reads it, so opening costs no read of the
/// gigabytes of rows and postings: a term's entries or dense row (checksums and their agreement
/// with its postings, then the chunks of its postings) the first time a query has the term
/// (<see cref="EnsureTerm"/>).
/// </summary>
internal sealed unsafe class BlockMaxIndex : IDisposable
{
    /// <summary>Bytes of one posting: a float32 impact and a one-byte offset in the block.</summary>
    public const int PostingBytesEach = 5;

    /// <summary>What a damaged or missing section asks the user to do.</summary>
    public const string Remedy = "run `disco index blockmax` again";

    private readonly MappedFile[] _files;
    private readonly Dictionary<string, SectionFile> _parts;
    private readonly ChunkVerifier _postingsCheck;

    /// <summary>One bit per term: set once the term's entries or dense row passed <see cref="CheckTerm"/>.</summary>
    private readonly ulong[] _checkedTerms;

    private BlockMaxIndex(string directory, IndexMetadata meta, bool verifyAll)
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
        RareEntries = section.RareEntries;
        PostingBytes = section.PostingBytes;
        _checkedTerms = new ulong[(TermCount + 63) / 64];
        var opened = new List<MappedFile>();
        try
        {
            _parts = IndexSection.Open(directory, meta, section.Files, BlockMaxFormat.Parts, BlockMaxFormat.Version, Remedy, verifyAll, opened);
            var terms = _parts["terms"].File;
            var blocks = _parts["blocks"].File;
            var maxima = _parts["maxima"].File;
            var offsets = _parts["offsets"].File;
            var dense = _parts["dense"].File;
            var counts = _parts["counts"].File;
            var groups = _parts["groups"].File;
            var postings = _parts["postings"].File;
            if (terms.DataLength != (long)TermCount * sizeof(BlockMaxTerm) || blocks.DataLength != RareEntries * sizeof(int) || maxima.DataLength != RareEntries
                || offsets.DataLength != RareEntries * sizeof(uint) || dense.DataLength != (long)DenseRows * PaddedBlocks
                || counts.DataLength != (long)DenseRows * PaddedBlocks || groups.DataLength != (long)DenseRows * (PaddedBlocks >> 6) * sizeof(uint)
                || postings.DataLength != PostingBytes)
                throw new DiscoException($"{Path.Combine(directory, IndexFormat.MetaFile)}: the block-max files do not match its counts; {Remedy}");
            Terms = (BlockMaxTerm*)terms.Data;
            RareBlocks = (int*)blocks.Data;
            RareMax = maxima.Data;
            RareOffsets = (uint*)offsets.Data;
            Dense = dense.Data;
            Counts = counts.Data;
            Groups = (uint*)groups.Data;
            Postings = postings.Data;
            _postingsCheck = _parts["postings"].Check;
            // The term table is read whole here (about 1 MB), so it is checked whole.
            _parts["terms"].Ensure(0, terms.DataLength);
            Check(terms);
            if (verifyAll)
            {
                for (var t = 0; t < TermCount; t++)
                    CheckTerm(t);
            }
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

    /// <summary>Entries of the terms without a dense row (the only ones listed one by one).</summary>
    public long RareEntries { get; }

    public long PostingBytes { get; }

    public BlockMaxTerm* Terms { get; }

    /// <summary>Term <paramref name="t"/>'s record (checked when the index opened).</summary>
    public BlockMaxTerm Term(int t) => (uint)t < (uint)TermCount ? Terms[t] : throw new ArgumentOutOfRangeException(nameof(t));

    /// <summary>Per rare entry, its block (a term's entries by increasing block).</summary>
    public int* RareBlocks { get; }

    /// <summary>Per rare entry, the code of the term's largest impact in the block.</summary>
    public byte* RareMax { get; }

    /// <summary>Per rare entry, the byte offset of its postings from the term's <see cref="BlockMaxTerm.PostingStart"/>.</summary>
    public uint* RareOffsets { get; }

    public byte* Dense { get; }

    /// <summary>Per dense row, the term's postings in each block (0: none).</summary>
    public byte* Counts { get; }

    /// <summary>Per dense row and group of 64 blocks: the byte offset from the term's <see cref="BlockMaxTerm.PostingStart"/> of its first entry at or after the group.</summary>
    public uint* Groups { get; }

    public byte* Postings { get; }

    public static int PaddedBlockCount(int blocks) => (blocks + 63) & ~63;

    public static BlockMaxIndex Open(string directory, IndexMetadata meta, bool verifyAll = false) => new(directory, meta, verifyAll);

    /// <summary>
    /// Checks term <paramref name="term"/>'s entries or dense row (checksums, then agreement with
    /// its postings) unless it already passed; search calls it for each query term before reading
    /// anything of the term but its record. One bit test once the term passed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureTerm(int term)
    {
        if ((Volatile.Read(ref _checkedTerms[term >> 6]) & (1UL << term)) == 0)
            CheckTerm(term);
    }

    /// <summary>Checks the chunks of the section's postings <c>[start, start + bytes)</c> unless they already passed.</summary>
    private void EnsurePostings(long start, long bytes) => _postingsCheck.Ensure(start + IndexFormat.HeaderBytes, start + bytes + IndexFormat.HeaderBytes);

    /// <summary>
    /// The term table, so search reads the records without checks: records consecutive (rare
    /// entries, dense rows numbered in term order, postings), each term's postings length whole
    /// postings of at most a block per entry, all adding up to the section's counts.
    /// </summary>
    private void Check(MappedFile terms)
    {
        long rare = 0, bytes = 0, entries = 0;
        var row = 0;
        for (var t = 0; t < TermCount; t++)
        {
            var e = Terms[t];
            if (e.PostingStart != bytes || e.FirstEntry != rare || e.Entries < 0 || e.Entries > Blocks || (e.DenseRow != -1 && e.DenseRow != row)
                || !float.IsFinite(e.Scale) || e.Scale < 0 || e.PostingBytes > PostingBytes - bytes
                || e.PostingBytes < (long)e.Entries * PostingBytesEach || e.PostingBytes > ((long)e.Entries * PostingBytesEach) << BlockBits)
                throw Corrupt(terms, $"inconsistent record for term {t}");
            bytes += e.PostingBytes;
            entries += e.Entries;
            if (e.DenseRow >= 0)
            {
                row++;
                continue;
            }
            rare += e.Entries;
            if (rare > RareEntries)
                throw Corrupt(terms, $"term {t} reaches past the entries");
        }
        if (rare != RareEntries || row != DenseRows || bytes != PostingBytes || entries != Entries)
            throw Corrupt(terms, "the term table does not cover the entries, dense rows and postings");
    }

    /// <summary>
    /// Everything search reads of term <paramref name="t"/> to locate its postings, so it reads
    /// without checks: the chunks holding its entries or dense row, then (rare term) its blocks
    /// increasing inside the collection and its postings extents whole postings of at most a block,
    /// ending at the term's postings length, or (dense row) its counts, maxima and group offsets
    /// against its postings. Two searches may check a term at once, which is harmless.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckTerm(int t)
    {
        var e = Terms[t];
        if (e.DenseRow >= 0)
        {
            var row = (long)e.DenseRow * PaddedBlocks;
            var groups = (long)e.DenseRow * (PaddedBlocks >> 6) * sizeof(uint);
            _parts["dense"].Ensure(row, row + PaddedBlocks);
            _parts["counts"].Ensure(row, row + PaddedBlocks);
            _parts["groups"].Ensure(groups, groups + ((PaddedBlocks >> 6) * sizeof(uint)));
            CheckDenseRow(t, e);
        }
        else if (e.Entries > 0)
        {
            _parts["blocks"].Ensure(e.FirstEntry * sizeof(int), (e.FirstEntry + e.Entries) * sizeof(int));
            _parts["maxima"].Ensure(e.FirstEntry, e.FirstEntry + e.Entries);
            _parts["offsets"].Ensure(e.FirstEntry * sizeof(uint), (e.FirstEntry + e.Entries) * sizeof(uint));
            CheckRareEntries(t, e);
        }
        // The term's postings too, whole: every entry search locates lies inside them (checked
        // above), so scoring needs no test per entry. Tested per entry, the bit test cost exact
        // block-max about 7% (docs/benchmarks.md, "Opening a section"); whole, a term costs one
        // CRC of its postings once per open index (at most 5 bytes a posting).
        if (e.PostingBytes > 0)
            EnsurePostings(e.PostingStart, e.PostingBytes);
        CheckOffsets(t, e);
        Interlocked.Or(ref _checkedTerms[t >> 6], 1UL << t);
    }

    /// <summary>
    /// The document offsets of each of term <paramref name="t"/>'s entries: increasing and inside
    /// the block. Scoring adds a posting into the accumulator slot its offset names, masked to the
    /// block (so a wrong offset never writes outside it); a repeated, decreasing or too large offset
    /// in a section that passed its checksums (a writer's bug) would add two postings into one
    /// document or one into the wrong document, wrong scores without an error. Checked here, once
    /// per term (one read of a fifth of the term's postings, just checksummed), not while scoring.
    /// </summary>
    private void CheckOffsets(int t, BlockMaxTerm e)
    {
        var postings = Postings + e.PostingStart;
        if (e.DenseRow >= 0)
        {
            // CheckDenseRow found the counts covering the postings, none past the collection.
            var counts = Counts + ((long)e.DenseRow * PaddedBlocks);
            long at = 0;
            for (var b = 0; b < Blocks; b++)
            {
                if (counts[b] == 0)
                    continue;
                CheckEntryOffsets(t, b, postings + at + (counts[b] * sizeof(float)), counts[b]);
                at += counts[b] * PostingBytesEach;
            }
            return;
        }
        // CheckRareEntries found the extents whole postings, ending at the term's postings length.
        for (var i = e.FirstEntry; i < e.FirstEntry + e.Entries; i++)
        {
            var end = i + 1 < e.FirstEntry + e.Entries ? RareOffsets[i + 1] : e.PostingBytes;
            var n = (int)((end - RareOffsets[i]) / PostingBytesEach);
            CheckEntryOffsets(t, RareBlocks[i], postings + RareOffsets[i] + (n * sizeof(float)), n);
        }
    }

    private void CheckEntryOffsets(int t, int block, byte* offsets, int n)
    {
        var previous = -1;
        for (var x = 0; x < n; x++)
        {
            int offset = offsets[x];
            if (offset >= 1 << BlockBits)
                throw CorruptPostings($"term {t} has document offset {offset} in block {block}, past the block's {1 << BlockBits} documents");
            if (offset <= previous)
                throw CorruptPostings($"term {t} has document offsets {previous} then {offset} in block {block}, {(offset == previous ? "repeated" : "out of order")}");
            previous = offset;
        }
    }

    private void CheckRareEntries(int t, BlockMaxTerm e)
    {
        var last = -1;
        for (var i = e.FirstEntry; i < e.FirstEntry + e.Entries; i++)
        {
            if (RareBlocks[i] <= last || RareBlocks[i] >= Blocks)
                throw Corrupt(_parts["blocks"].File, $"entry {i} of term {t} has an invalid block");
            last = RareBlocks[i];
            var end = i + 1 < e.FirstEntry + e.Entries ? RareOffsets[i + 1] : e.PostingBytes;
            var extent = (long)end - RareOffsets[i];
            if ((i == e.FirstEntry && RareOffsets[i] != 0) || extent < PostingBytesEach || extent > (long)PostingBytesEach << BlockBits || extent % PostingBytesEach != 0)
                throw Corrupt(_parts["offsets"].File, $"entry {i} of term {t} has an invalid extent");
        }
    }

    /// <summary>
    /// A dense row's counts, maxima and group offsets against the term's postings, so that search
    /// can locate a block's postings from them alone and never reads outside the term's postings.
    /// </summary>
    private void CheckDenseRow(int t, BlockMaxTerm e)
    {
        var c = Counts + ((long)e.DenseRow * PaddedBlocks);
        var d = Dense + ((long)e.DenseRow * PaddedBlocks);
        var g = Groups + ((long)e.DenseRow * (PaddedBlocks >> 6));
        long offset = 0;
        var present = 0;
        for (var b = 0; b < PaddedBlocks; b++)
        {
            if ((b & 63) == 0 && g[b >> 6] != offset)
                throw Corrupt(_parts["groups"].File, $"dense row {e.DenseRow} has an invalid offset for group {b >> 6}");
            // A block with postings has a maximum (code >= 1), and blocks past the collection have none.
            if (c[b] > 1 << BlockBits || (c[b] > 0 && (b >= Blocks || d[b] == 0)))
                throw Corrupt(_parts["counts"].File, $"dense row {e.DenseRow} has an invalid count for block {b}");
            offset += c[b] * PostingBytesEach;
            present += c[b] > 0 ? 1 : 0;
        }
        if (offset != e.PostingBytes || present != e.Entries)
            throw Corrupt(_parts["counts"].File, $"dense row {e.DenseRow} does not cover the postings of term {t}");
    }

    /// <summary>An error for a structure found damaged during search.</summary>
    public DiscoException Corrupt(string problem) => Corrupt(_files[0], problem);

    /// <summary>An error for the section's postings found damaged during search.</summary>
    public DiscoException CorruptPostings(string problem) => Corrupt(_parts["postings"].File, problem);

    private static DiscoException Corrupt(MappedFile file, string problem) => new($"{file.Path}: {problem}; the block-max files are damaged, {Remedy}");

    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
    }
}
