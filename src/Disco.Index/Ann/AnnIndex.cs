using System.Runtime.CompilerServices;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// The approximate-search structures of an index, opened through memory maps (docs/index-format.md,
/// "Approximate search"). Opening checks file sizes and headers of all files and the term table
/// (read whole, checked in full); the rest is checked where search first reads it, so opening reads
/// none of the head lists or forward records: a term's segments and head list (checksums, then the
/// segments' ranges and ends) the first time a query reads the term (<see cref="EnsureTerm"/>), a
/// document's forward offsets and record chunk by chunk when it is re-scored
/// (<see cref="EnsureForward"/>). Document numbers in head lists and forward records are checked
/// where search reads them.
/// </summary>
internal sealed unsafe class AnnIndex : IDisposable
{
    private readonly MappedFile[] _files;
    private readonly MappedFile _forward;
    private readonly SectionFile _segments;
    private readonly SectionFile _heads;
    private readonly ChunkVerifier _forwardCheck;
    private readonly ChunkVerifier _forwardIndexCheck;
    private readonly int _ranges;

    /// <summary>The terms whose segments and head list passed <see cref="CheckTerm"/>.</summary>
    private readonly CheckedSet _checkedTerms;

    private AnnIndex(string directory, IndexMetadata meta, bool verifyAll)
    {
        var ann = meta.Ann!;
        Metadata = ann;
        Documents = meta.Documents;
        TermBytes = ann.TermBytes;
        _checkedTerms = new CheckedSet(meta.Terms);
        _ranges = (int)(((long)meta.Documents + (1 << AnnFormat.RangeBits) - 1) >> AnnFormat.RangeBits);
        var opened = new List<MappedFile>();
        try
        {
            var parts = IndexSection.Open(directory, meta, ann.Files, AnnFormat.Parts, AnnFormat.Version, Remedy, verifyAll, opened);
            var terms = parts["terms"].File;
            _segments = parts["segments"];
            _heads = parts["heads"];
            var forward = _forward = parts["forward"].File;
            var forwardIndex = parts["forwardIndex"].File;
            if (terms.DataLength != (long)meta.Terms * sizeof(AnnTerm) || _heads.File.DataLength != ann.Heads * sizeof(AnnHead)
                || _segments.File.DataLength != ann.Segments * sizeof(AnnSegment)
                || forwardIndex.DataLength != ((long)meta.Documents + 1) * sizeof(long))
                throw new DiscoException($"{Path.Combine(directory, IndexFormat.MetaFile)}: the approximate-search files do not match its counts; {Remedy}");
            Terms = (AnnTerm*)terms.Data;
            Segments = (AnnSegment*)_segments.File.Data;
            Heads = (AnnHead*)_heads.File.Data;
            ForwardBase = forward.Data - IndexFormat.HeaderBytes;
            ForwardLength = forward.Length;
            ForwardOffsets = (long*)forwardIndex.Data;
            _forwardCheck = parts["forward"].Check;
            _forwardIndexCheck = parts["forwardIndex"].Check;
            // The term table is read whole here (about 1 MB), so it is checked whole.
            parts["terms"].Ensure(0, terms.DataLength);
            // Every term's record, so search reads them without checks: heads and segments
            // consecutive, counts within the list size, and covering the head lists exactly.
            long heads = 0, segments = 0;
            for (var t = 0; t < meta.Terms; t++)
            {
                var e = Terms[t];
                if (e.FirstHead != heads || e.FirstSegment != segments || e.Heads < 0 || e.Heads > ann.ListSize || e.Segments < 0 || e.Segments > e.Heads
                    || !float.IsFinite(e.Scale) || e.Scale < 0 || !float.IsFinite(e.Floor) || e.Floor < 0)
                    throw Corrupt(terms, $"inconsistent record for term {t}");
                heads += e.Heads;
                segments += e.Segments;
                if (heads > ann.Heads || segments > ann.Segments)
                    throw Corrupt(terms, $"term {t} reaches past the head lists");
            }
            if (heads != ann.Heads || segments != ann.Segments)
                throw Corrupt(terms, "the term table does not cover the head lists");
            if (verifyAll)
            {
                for (var t = 0; t < meta.Terms; t++)
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

    /// <summary>
    /// Checks term <paramref name="term"/>'s segments and head list unless they already passed;
    /// search calls it for each term before reading anything of the term but its record. One bit
    /// test once the term passed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureTerm(int term)
    {
        if (!_checkedTerms.Contains(term))
            CheckTerm(term);
    }

    /// <summary>
    /// The chunks of term <paramref name="t"/>'s segments and head list (a few KB: the list is cut
    /// to the list size), then its segments: ranges increasing inside the collection, ends
    /// increasing up to the term's head count. Two searches may check a term at once, which is harmless.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckTerm(int t)
    {
        var e = Terms[t];
        _segments.Ensure(e.FirstSegment * sizeof(AnnSegment), (e.FirstSegment + e.Segments) * sizeof(AnnSegment));
        _heads.Ensure(e.FirstHead * sizeof(AnnHead), (e.FirstHead + e.Heads) * sizeof(AnnHead));
        int range = -1, end = 0;
        for (var i = 0; i < e.Segments; i++)
        {
            var g = Segments[e.FirstSegment + i];
            if (g.Range <= range || g.Range >= _ranges || g.End <= end || g.End > e.Heads)
                throw Corrupt(_segments.File, $"inconsistent segment {i} of term {t}");
            range = g.Range;
            end = g.End;
        }
        if (end != e.Heads)
            throw Corrupt(_segments.File, $"the segments of term {t} do not cover its head list");
        _checkedTerms.Add(t);
    }

    /// <summary>Checks the chunks holding document <paramref name="doc"/>'s two forward offsets unless they already passed (call before reading them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureForwardOffsets(int doc) =>
        _forwardIndexCheck.Ensure(IndexFormat.HeaderBytes + ((long)doc * sizeof(long)), IndexFormat.HeaderBytes + (((long)doc + 2) * sizeof(long)));

    /// <summary>Checks the chunks of forward.bin's bytes <c>[start, start + bytes)</c> (offsets from the file start) unless they already passed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureForward(long start, long bytes) => _forwardCheck.Ensure(start, start + bytes);

    /// <summary>What a damaged or missing section asks the user to do.</summary>
    public const string Remedy = "run `disco index ann` again";

    public AnnMetadata Metadata { get; }

    public int Documents { get; }

    public int TermBytes { get; }

    public AnnTerm* Terms { get; }

    public AnnSegment* Segments { get; }

    public AnnHead* Heads { get; }

    /// <summary>Start of forward.bin (offsets count from the file start).</summary>
    public byte* ForwardBase { get; }

    public long ForwardLength { get; }

    public long* ForwardOffsets { get; }

    public static AnnIndex Open(string directory, IndexMetadata meta, bool verifyAll = false) => new(directory, meta, verifyAll);

    public DiscoException Corrupt(string problem) => Corrupt(_forward, problem);

    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
    }

    private static DiscoException Corrupt(MappedFile file, string problem) => new($"{file.Path}: {problem}; the approximate-search files are damaged, {Remedy}");
}
