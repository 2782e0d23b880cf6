using Disco.Core;

namespace Disco.Index;

/// <summary>
/// The approximate-search structures of an index, opened through memory maps (docs/index-format.md,
/// "Approximate search"). Opening checks file sizes, headers and checksums of all four files (as
/// the index checks every listed file it has no chunk checksums for) and every term's head range;
/// document numbers in head lists and forward records are also checked where search reads them.
/// </summary>
internal sealed unsafe class AnnIndex : IDisposable
{
    private readonly MappedFile _terms;
    private readonly MappedFile _segments;
    private readonly MappedFile _heads;
    private readonly MappedFile _forward;
    private readonly MappedFile _forwardIndex;

    private AnnIndex(string directory, IndexMetadata meta)
    {
        var ann = meta.Ann!;
        Metadata = ann;
        Documents = meta.Documents;
        TermBytes = ann.TermBytes;
        var opened = new List<MappedFile>();
        try
        {
            MappedFile Map(string part, string magic) => IndexSection.Map(directory, meta, ann.Files, part, magic, AnnFormat.Version, Remedy, opened);

            // Every file in full, as the index checks the files it has no chunk checksums for
            // (docs/index-format.md, "Integrity"): about a second per GB when an index opens.
            _terms = Map("terms", AnnFormat.TermsMagic);
            _segments = Map("segments", AnnFormat.SegmentsMagic);
            _heads = Map("heads", AnnFormat.HeadsMagic);
            _forward = Map("forward", AnnFormat.ForwardMagic);
            _forwardIndex = Map("forwardIndex", AnnFormat.ForwardIndexMagic);
            if (_terms.DataLength != (long)meta.Terms * sizeof(AnnTerm) || _heads.DataLength != ann.Heads * sizeof(AnnHead)
                || _segments.DataLength != ann.Segments * sizeof(AnnSegment)
                || _forwardIndex.DataLength != ((long)meta.Documents + 1) * sizeof(long))
                throw new DiscoException($"{Path.Combine(directory, IndexFormat.MetaFile)}: the approximate-search files do not match its counts; {Remedy}");
            Terms = (AnnTerm*)_terms.Data;
            Segments = (AnnSegment*)_segments.Data;
            // Every term's record and segments, so search reads them without checks: heads and
            // segments consecutive, ranges increasing and inside the collection, segment ends
            // increasing up to the term's head count.
            var ranges = (int)(((long)meta.Documents + (1 << AnnFormat.RangeBits) - 1) >> AnnFormat.RangeBits);
            long heads = 0, segments = 0;
            for (var t = 0; t < meta.Terms; t++)
            {
                var e = Terms[t];
                if (e.FirstHead != heads || e.FirstSegment != segments || e.Heads < 0 || e.Heads > ann.ListSize || e.Segments < 0 || e.Segments > e.Heads
                    || !float.IsFinite(e.Scale) || e.Scale < 0 || !float.IsFinite(e.Floor) || e.Floor < 0)
                    throw Corrupt(_terms, $"inconsistent record for term {t}");
                heads += e.Heads;
                segments += e.Segments;
                if (heads > ann.Heads || segments > ann.Segments)
                    throw Corrupt(_terms, $"term {t} reaches past the head lists");
                int range = -1, end = 0;
                for (var i = 0; i < e.Segments; i++)
                {
                    var g = Segments[e.FirstSegment + i];
                    if (g.Range <= range || g.Range >= ranges || g.End <= end || g.End > e.Heads)
                        throw Corrupt(_segments, $"inconsistent segment {i} of term {t}");
                    range = g.Range;
                    end = g.End;
                }
                if (end != e.Heads)
                    throw Corrupt(_segments, $"the segments of term {t} do not cover its head list");
            }
            if (heads != ann.Heads || segments != ann.Segments)
                throw Corrupt(_terms, "the term table does not cover the head lists");
        }
        catch
        {
            foreach (var f in opened)
                f.Dispose();
            throw;
        }
        Heads = (AnnHead*)_heads.Data;
        ForwardBase = _forward.Data - IndexFormat.HeaderBytes;
        ForwardLength = _forward.Length;
        ForwardOffsets = (long*)_forwardIndex.Data;
    }

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

    public static AnnIndex Open(string directory, IndexMetadata meta) => new(directory, meta);

    public DiscoException Corrupt(string problem) => Corrupt(_forward, problem);

    public void Dispose()
    {
        _terms.Dispose();
        _segments.Dispose();
        _heads.Dispose();
        _forward.Dispose();
        _forwardIndex.Dispose();
    }

    private static DiscoException Corrupt(MappedFile file, string problem) => new($"{file.Path}: {problem}; the approximate-search files are damaged, {Remedy}");
}
