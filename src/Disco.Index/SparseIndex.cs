using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Disco.Core;
using Disco.Core.Vectors;

namespace Disco.Index;

/// <summary>
/// A read-only index opened through memory maps (docs/index-format.md). Opening reads meta.json
/// and the term dictionary and checks file sizes, headers and the checksums of the small files;
/// postings are paged in by the OS as queries touch them. Thread-safe for concurrent searches.
/// </summary>
public sealed unsafe class SparseIndex : IDisposable
{
    private readonly MappedFile _postings;
    private readonly MappedFile _blocks;
    private readonly MappedFile _docIds;
    private readonly MappedFile _docOffsets;
    private readonly TermTable _termTable;
    private readonly string[] _terms;
    private readonly long[] _termPostings;
    private readonly int[] _termFirstBlock;
    private readonly int[] _termBlockCount;
    private readonly float[] _termMaxImpact;
    private readonly int _blockStride;
    private readonly ChunkVerifier _postingsCheck;
    private readonly ChunkVerifier _docIdsCheck;

    private SparseIndex(string directory, IndexMetadata meta, bool verifyAll, bool openSections = true)
    {
        Directory = directory;
        Metadata = meta;
        var opened = new List<MappedFile>();
        try
        {
            MappedFile Map(string name)
            {
                if (!meta.Files.TryGetValue(name, out var info))
                    throw new DiscoException($"{Path.Combine(directory, name)}: not listed in meta.json");
                var f = new MappedFile(directory, name, info);
                opened.Add(f);
                return f;
            }

            _postings = Map(IndexFormat.PostingsFile);
            _blocks = Map(IndexFormat.BlocksFile);
            _docIds = Map(IndexFormat.DocIdsFile);
            _docOffsets = Map(IndexFormat.DocOffsetsFile);
            var termsInfo = meta.Files.GetValueOrDefault(IndexFormat.TermsFile)
                ?? throw new DiscoException($"{Path.Combine(directory, IndexFormat.TermsFile)}: not listed in meta.json");
            var termsPath = Path.Combine(directory, IndexFormat.TermsFile);
            var termBytes = IndexIntegrity.ReadVerified(termsPath, termsInfo);
            Verify(_blocks, meta);
            Verify(_docOffsets, meta);
            (_postingsCheck, _docIdsCheck) = ChunkVerifiers(directory, meta, verifyAll);
            VerifyOtherFiles(directory, meta);
            _blockStride = IndexFormat.ImpactBytes(meta.ImpactEncoding) + IndexFormat.DocBytes;
            CrossCheckSizes(meta);
            (_terms, _termPostings, _termFirstBlock, _termBlockCount, _termMaxImpact) = ReadTerms(termsPath, termBytes, meta);
            _termTable = new TermTable(_terms);
            Ann = meta.Ann is { IsCurrent: true } && openSections ? AnnIndex.Open(directory, meta, verifyAll) : null;
            BlockMax = meta.BlockMax is { IsCurrent: true } && openSections ? BlockMaxIndex.Open(directory, meta, verifyAll) : null;
        }
        catch
        {
            foreach (var f in opened)
                f.Dispose();
            Ann?.Dispose();
            throw;
        }
        Encoding = meta.ImpactEncoding;
        Scale = meta.Scale ?? 1f;
        RangeBits = meta.RangeBits;
        BlockEntries = (BlockEntry*)_blocks.Data;
        PostingsBase = _postings.Data - IndexFormat.HeaderBytes;
        PostingsEnd = _postings.Length - IndexFormat.PostingsPadding;
    }

    public string Directory { get; }

    public IndexMetadata Metadata { get; }

    public int DocumentCount => Metadata.Documents;

    public int TermCount => _terms.Length;

    public long PostingCount => Metadata.Postings;

    public ImpactEncoding Encoding { get; }

    /// <summary>Quantized impacts decode as code * Scale (1 for exact float32 impacts).</summary>
    public float Scale { get; }

    /// <summary>Blocks never cross a range of 2^RangeBits documents and store offsets within it.</summary>
    internal int RangeBits { get; }

    internal BlockEntry* BlockEntries { get; }

    /// <summary>Start of postings.bin (block offsets count from the file start).</summary>
    internal byte* PostingsBase { get; }

    internal long PostingsEnd { get; }

    /// <summary>The structures of approximate search, when the index has them.</summary>
    internal AnnIndex? Ann { get; }

    /// <summary>The block-max structures, when the index has them.</summary>
    internal BlockMaxIndex? BlockMax { get; }

    /// <summary>Whether the index has the block-max section (<c>disco index --block-max</c>, <c>disco index blockmax</c>) that <see cref="SearchAlgorithm.BlockMax"/> needs.</summary>
    public bool HasBlockMax => BlockMax is not null;

    /// <summary>Whether the index has the structures of approximate search (<c>disco index --ann</c>, <c>disco index ann</c>).</summary>
    public bool HasAnn => Ann is not null;

    /// <summary>Opens an index without its optional sections (to rebuild one, whatever state it is in).</summary>
    internal static SparseIndex OpenWithoutSections(string directory) => new(directory, IndexMetadata.Read(directory), verifyAll: false, openSections: false);

    /// <summary>
    /// Opens an index. Corruption is always detected: meta.json and the small files are checked
    /// now, postings and document ids chunk by chunk the first time a search reads them.
    /// <paramref name="verifyChecksums"/> checks every byte of every file now instead (reads the
    /// whole index once). An index replaced by a concurrent build while it is opened is opened
    /// again, so the result is always one whole index, the old or the new one.
    /// </summary>
    public static SparseIndex Open(string directory, bool verifyChecksums = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var metaPath = Path.Combine(directory, IndexFormat.MetaFile);
        for (var attempt = 1; ; attempt++)
        {
            // A swap replaces the whole directory; the files are opened by path one by one, so
            // the index is valid only if meta.json is the same before and after: then every file
            // opened in between belongs to it (a new build always writes different metadata).
            var before = IndexMetadata.TryReadBytes(directory);
            if (before is null)
            {
                if (attempt < OpenAttempts && SwapInProgress(directory))
                {
                    WaitForSwap(attempt);
                    continue;
                }
                throw IndexMetadata.NotAnIndex(directory);
            }
            SparseIndex index;
            try
            {
                index = new SparseIndex(directory, IndexMetadata.Parse(before, metaPath), verifyChecksums);
            }
            catch (DiscoException) when (attempt < OpenAttempts && Replaced(directory, before))
            {
                WaitForSwap(attempt);
                continue;
            }
            if (!Replaced(directory, before))
                return index;
            index.Dispose();
            if (attempt >= OpenAttempts)
                throw new DiscoException($"{directory}: the index was replaced {OpenAttempts} times while it was being opened; try again");
            WaitForSwap(attempt);
        }
    }

    /// <summary>How often opening starts over when a concurrent build replaces the index.</summary>
    private const int OpenAttempts = 20;

    private static bool Replaced(string directory, byte[] before)
    {
        try
        {
            return IndexMetadata.TryReadBytes(directory) is not { } now || !now.AsSpan().SequenceEqual(before);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DiscoException)
        {
            return true;
        }
    }

    /// <summary>A build writes <c>DIR.tmp-*</c> and swaps through <c>DIR.old-*</c>; either beside DIR means DIR may be about to appear.</summary>
    private static bool SwapInProgress(string directory) => Core.IO.AtomicDirectory.Leftovers(directory).Count > 0;

    private static void WaitForSwap(int attempt) => Thread.Sleep(Math.Min(5 * attempt, 50));

    public int? TermId(string term) => _termTable.Find(term) is var id and >= 0 ? id : null;

    /// <summary>
    /// The index's terms, looked up by a token's characters without building its string: hand it to
    /// <see cref="VectorFile.Read(string, bool, TermTable?)"/> and query tokens are resolved to this
    /// index's term ids as they are parsed (<see cref="SearchQuery.Create(SparseIndex, TermVector, QueryOptions?)"/> then uses them).
    /// </summary>
    public TermTable Terms => _termTable;

    public string Term(int termId) => _terms[termId];

    public long PostingLength(int termId) => _termPostings[termId];

    public float MaxImpact(int termId) => _termMaxImpact[termId];

    internal int FirstBlock(int termId) => _termFirstBlock[termId];

    internal int BlockCount(int termId) => _termBlockCount[termId];

    /// <summary>
    /// The number of postings of block <paramref name="block"/> (from its byte extent) and where
    /// they start; refuses extents that cannot be a block, so a damaged blocks table never leads
    /// to reads outside postings.bin.
    /// </summary>
    internal int BlockLength(int block, out byte* start)
    {
        var offset = BlockEntries[block].Offset;
        var end = BlockEntries[block + 1].Offset;
        var stride = _blockStride;
        var bytes = end - offset;
        var n = bytes / stride;
        if (offset < IndexFormat.HeaderBytes || end > PostingsEnd || n < 1 || n > IndexFormat.BlockSize || n * stride != bytes)
            throw Corrupt($"block {block} has an invalid extent");
        // Every read of postings passes here: the bytes are checked before they are used.
        _postingsCheck.Ensure(offset, end);
        start = PostingsBase + offset;
        return (int)n;
    }

    /// <summary>
    /// Asks the CPU to start loading <c>[offset, offset + bytes)</c> of postings.bin (clipped to the
    /// postings). Search reads many short per-term streams that the hardware prefetcher has too
    /// little time to learn; fetching a term's next blocks ahead halves the scan time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Prefetch(long offset, long bytes)
    {
        if (!Sse.IsSupported)
            return;
        var end = PostingsBase + Math.Min(offset + bytes, PostingsEnd);
        for (var line = PostingsBase + offset; line < end; line += 64)
            Sse.Prefetch0(line);
    }

    /// <summary>The original (string) id of internal document <paramref name="doc"/>.</summary>
    public string DocumentId(int doc)
    {
        if ((uint)doc >= (uint)DocumentCount)
            throw new ArgumentOutOfRangeException(nameof(doc));
        var offsets = (long*)_docOffsets.Data;
        var start = offsets[doc];
        var end = offsets[doc + 1];
        if (start < IndexFormat.HeaderBytes || end < start || end > _docIds.Length || end - start > int.MaxValue)
            throw new DiscoException($"{_docOffsets.Path}: corrupt offset for document {doc}; rebuild the index");
        _docIdsCheck.Ensure(start, end);
        return System.Text.Encoding.UTF8.GetString(_docIds.Span(start, (int)(end - start)));
    }

    /// <summary>Reads every posting of a term (decoded impacts); for statistics, tests and export.</summary>
    public (int[] Docs, float[] Impacts) ReadPostings(int termId)
    {
        var cursor = new PostingCursor(this);
        cursor.Reset(termId);
        var n = checked((int)PostingLength(termId));
        var docs = new int[n];
        var impacts = new float[n];
        for (var i = 0; i < n; i++)
        {
            docs[i] = cursor.Doc;
            impacts[i] = cursor.Impact;
            cursor.Next();
        }
        return (docs, impacts);
    }

    public void Dispose()
    {
        _postings.Dispose();
        _blocks.Dispose();
        _docIds.Dispose();
        _docOffsets.Dispose();
        Ann?.Dispose();
        BlockMax?.Dispose();
    }

    internal DiscoException Corrupt(string problem) => new($"{_postings.Path}: {problem}; the index is damaged, rebuild it");

    /// <summary>Checks a mapped file's CRC-32C against meta.json; <paramref name="remedy"/> says what to do when it differs.</summary>
    internal static void Verify(MappedFile file, IndexMetadata meta, string remedy = "rebuild the index") =>
        Verify(file.Path, file.Checksum(), meta.Files[Path.GetFileName(file.Path)], remedy);

    /// <summary>
    /// Chunk-by-chunk checks of postings.bin and docids.bin from checksums.bin; both files are
    /// checked in full now instead when asked to, and for indexes written before checksums.bin
    /// existed (which have nothing finer to check against).
    /// </summary>
    private (ChunkVerifier Postings, ChunkVerifier DocIds) ChunkVerifiers(string directory, IndexMetadata meta, bool verifyAll)
    {
        ChunkVerifier postings, docIds;
        if (meta.Integrity is null)
        {
            postings = ChunkVerifier.AllVerified(_postings.Data - IndexFormat.HeaderBytes, _postings.Length, _postings.Path);
            docIds = ChunkVerifier.AllVerified(_docIds.Data - IndexFormat.HeaderBytes, _docIds.Length, _docIds.Path);
            verifyAll = true;
        }
        else
        {
            var bytes = IndexIntegrity.ReadVerified(Path.Combine(directory, IndexIntegrity.ChecksumsFile), meta.Files[IndexIntegrity.ChecksumsFile]);
            var checksums = IndexIntegrity.ReadChecksums(directory, meta, bytes);
            postings = new ChunkVerifier(_postings.Data - IndexFormat.HeaderBytes, _postings.Length, checksums[IndexFormat.PostingsFile], _postings.Path);
            docIds = new ChunkVerifier(_docIds.Data - IndexFormat.HeaderBytes, _docIds.Length, checksums[IndexFormat.DocIdsFile], _docIds.Path);
        }
        if (verifyAll)
        {
            Verify(_postings, meta);
            Verify(_docIds, meta);
            postings.MarkAllVerified();
            docIds.MarkAllVerified();
        }
        return (postings, docIds);
    }

    /// <summary>Files listed in meta.json that this type does not read itself are checked in full, so no listed file goes unchecked.</summary>
    private static void VerifyOtherFiles(string directory, IndexMetadata meta)
    {
        foreach (var (name, info) in meta.Files)
        {
            // The optional sections check their own files (AnnIndex, BlockMaxIndex), and a rebuild
            // of a section must open an index whose section is damaged.
            if ((meta.Ann is { } ann && ann.Files.ContainsValue(name)) || (meta.BlockMax is { } blockMax && blockMax.Files.ContainsValue(name)))
                continue;
            if (name is IndexFormat.PostingsFile or IndexFormat.BlocksFile or IndexFormat.TermsFile or IndexFormat.DocIdsFile or IndexFormat.DocOffsetsFile or IndexIntegrity.ChecksumsFile)
                continue;
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
                throw new DiscoException($"{path}: index file missing");
            var crc = new Crc32C();
            long length = 0;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    crc.Append(buffer.AsSpan(0, read));
                    length += read;
                }
            }
            if (length != info.Bytes)
                throw new DiscoException($"{path}: {length} bytes, meta.json records {info.Bytes}; the index is truncated or damaged, rebuild it");
            Verify(path, crc.Value, info);
        }
    }

    /// <summary>
    /// meta.json's counts and impact encoding against the files' sizes, so a metadata file that
    /// does not belong to these files (or was edited) is refused before any search.
    /// </summary>
    private void CrossCheckSizes(IndexMetadata meta)
    {
        if (_blocks.DataLength != (meta.Blocks + 1) * sizeof(BlockEntry))
            throw new DiscoException($"{_blocks.Path}: size does not match {meta.Blocks} blocks");
        if (_docOffsets.DataLength != ((long)meta.Documents + 1) * sizeof(long))
            throw new DiscoException($"{_docOffsets.Path}: size does not match {meta.Documents} documents");
        var postingBytes = meta.Postings * _blockStride;
        if (_postings.Length != IndexFormat.HeaderBytes + postingBytes + IndexFormat.PostingsPadding
            || ((BlockEntry*)_blocks.Data)[meta.Blocks].Offset != IndexFormat.HeaderBytes + postingBytes)
            throw new DiscoException($"{_postings.Path}: size does not match {meta.Postings} postings of {meta.Impacts} impacts; the index is damaged, rebuild it");
        var offsets = (long*)_docOffsets.Data;
        if (offsets[0] != IndexFormat.HeaderBytes || offsets[meta.Documents] != _docIds.Length)
            throw new DiscoException($"{_docOffsets.Path}: document offsets do not span {IndexFormat.DocIdsFile}; the index is damaged, rebuild it");
    }

    internal static void Verify(string path, uint actual, IndexFileInfo expected, string remedy = "rebuild the index")
    {
        var hex = actual.ToString("x8", CultureInfo.InvariantCulture);
        if (!string.Equals(hex, expected.Crc32C, StringComparison.OrdinalIgnoreCase))
            throw new DiscoException($"{path}: checksum {hex} does not match meta.json ({expected.Crc32C}); the file is corrupted, {remedy}");
    }

    /// <summary>
    /// A term's largest impact is a stored impact: at most maxWeight for float32, and for
    /// quantized impacts exactly <c>code × scale</c> with a code in [1, maxCode], which checks the
    /// scale in meta.json against every term of the index.
    /// </summary>
    private static bool PlausibleMaxImpact(float max, long postings, IndexMetadata meta)
    {
        if (postings == 0)
            return max == 0;
        if (!float.IsFinite(max) || max <= 0)
            return false;
        if (meta.ImpactEncoding == ImpactEncoding.Float32)
            return max <= meta.MaxWeight;
        var scale = meta.Scale!.Value;
        var code = MathF.Round(max / scale);
        return code >= 1 && code <= IndexFormat.MaxCode(meta.ImpactEncoding) && ImpactCodec.Decode((int)code, scale) == max;
    }

    private static (string[], long[], int[], int[], float[]) ReadTerms(string path, byte[] bytes, IndexMetadata meta)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.Length < IndexFormat.HeaderBytes + 4 || System.Text.Encoding.ASCII.GetString(span[..8]) != IndexFormat.Magics[IndexFormat.TermsFile])
            throw new DiscoException($"{path}: wrong file header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) != IndexFormat.Version)
            throw new DiscoException($"{path}: file format version {BinaryPrimitives.ReadUInt32LittleEndian(span[8..])} is not supported");
        var pos = IndexFormat.HeaderBytes;
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[pos..]);
        pos += 4;
        if (count != meta.Terms)
            throw new DiscoException($"{path}: {count} terms, meta.json records {meta.Terms}");
        var terms = new string[count];
        long nextBlock = 0;
        long totalPostings = 0;
        var postings = new long[count];
        var first = new int[count];
        var blocks = new int[count];
        var max = new float[count];
        for (var i = 0; i < count; i++)
        {
            if (pos + 24 > span.Length)
                throw new DiscoException($"{path}: truncated term dictionary");
            postings[i] = BinaryPrimitives.ReadInt64LittleEndian(span[pos..]);
            first[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(pos + 8)..]);
            blocks[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(pos + 12)..]);
            max[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(pos + 16)..]);
            var len = BinaryPrimitives.ReadInt32LittleEndian(span[(pos + 20)..]);
            pos += 24;
            if (len < 0 || pos + len > span.Length)
                throw new DiscoException($"{path}: truncated term dictionary");
            terms[i] = System.Text.Encoding.UTF8.GetString(span.Slice(pos, len));
            pos += len;
            // A term has at least one block per 128 postings and at most one per posting (blocks also end at range boundaries).
            // Terms' blocks follow each other in term order, so each term starts where the last ended.
            if (postings[i] < 0 || blocks[i] < (postings[i] + IndexFormat.BlockSize - 1) / IndexFormat.BlockSize || blocks[i] > postings[i]
                || first[i] != nextBlock || (long)first[i] + blocks[i] > meta.Blocks || !PlausibleMaxImpact(max[i], postings[i], meta))
                throw new DiscoException($"{path}: inconsistent entry for term {i}");
            nextBlock += blocks[i];
            totalPostings += postings[i];
        }
        if (nextBlock != meta.Blocks || totalPostings != meta.Postings)
            throw new DiscoException($"{path}: terms hold {totalPostings} postings in {nextBlock} blocks, meta.json records {meta.Postings} in {meta.Blocks}");
        return (terms, postings, first, blocks, max);
    }
}
