using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Writes an index from whole posting lists, term after term, for sources that are already
/// inverted (an imported SPLADE or CIFF index, a merge): no segments, no sort, memory bounded by
/// one posting list. Document ids may come before, between or after the terms; they are checked
/// for duplicates as they arrive, and <see cref="Complete"/> checks that every posting refers to
/// one of them. Terms keep the order in which they are added (their term ids).
/// </summary>
public sealed class InvertedIndexWriter : IDisposable
{
    private readonly IndexDirectory _directory;
    private readonly DocumentIdWriter _docIds;
    private readonly PostingsWriter _postings;
    private readonly InvertedIndexOptions _options;
    private readonly int _maxCode;
    private readonly HashSet<string> _terms = new(StringComparer.Ordinal);
    private int _maxDoc = -1;
    private float _maxWeight;
    private bool _completed;

    public InvertedIndexWriter(string directory, InvertedIndexOptions? options = null)
    {
        _options = options ?? new InvertedIndexOptions();
        if (_options.RangeBits is < IndexFormat.MinRangeBits or > IndexFormat.MaxRangeBits)
            throw new ArgumentOutOfRangeException(nameof(options), $"RangeBits must be between {IndexFormat.MinRangeBits} and {IndexFormat.MaxRangeBits}");
        if (_options.Impacts != ImpactEncoding.Float32 && _options.Scale is not > 0f)
            throw new ArgumentOutOfRangeException(nameof(options), "quantized impacts need a positive Scale, known before the first posting");
        _maxCode = _options.Impacts == ImpactEncoding.Float32 ? 0 : IndexFormat.MaxCode(_options.Impacts);
        _directory = new IndexDirectory(directory);
        try
        {
            _docIds = new DocumentIdWriter(_directory.Temp);
            _postings = new PostingsWriter(_directory.Temp, _options.Impacts, _options.Scale ?? 1f, _options.RangeBits);
        }
        catch
        {
            _docIds?.Dispose();
            _directory.Dispose();
            throw;
        }
    }

    /// <summary>Free-form description of the source recorded in meta.json's "build".</summary>
    public Dictionary<string, string> BuildInfo { get; } = [];

    public int DocumentCount => _docIds.Count;

    public int TermCount => _terms.Count;

    public long PostingCount => _postings.PostingCount;

    /// <summary>Sizes the duplicate-id check for this many documents (optional; avoids rehashing).</summary>
    public void ReserveDocuments(long documents) => _docIds.Reserve(documents);

    /// <summary>Starts a new source of document ids; see <see cref="IndexBuilder.BeginSource"/>.</summary>
    public void BeginSource(string name, Func<long, string>? describe = null) => _docIds.BeginSource(name, describe);

    /// <summary>Appends the external id of the next internal document (0, 1, ...); refuses a repeated id.</summary>
    public int AddDocument(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        ObjectDisposedException.ThrowIf(_completed, this);
        return _docIds.Add(id);
    }

    /// <summary>The external id of a document already added.</summary>
    public string DocumentId(int doc) =>
        (uint)doc < (uint)_docIds.Count ? _docIds.IdOf(doc) : throw new ArgumentOutOfRangeException(nameof(doc));

    /// <summary>
    /// Adds the posting list of a new term: documents strictly increasing and non-negative,
    /// weights finite and non-negative (zero weights are dropped). With quantized impacts a weight
    /// becomes <c>clamp(round(w / Scale), 1, maxCode)</c>, as in a build.
    /// </summary>
    public void AddTerm(string term, ReadOnlySpan<int> docs, ReadOnlySpan<float> weights)
    {
        ArgumentNullException.ThrowIfNull(term);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (docs.Length != weights.Length)
            throw new ArgumentException($"term \"{term}\": {docs.Length} documents but {weights.Length} weights");
        if (!_terms.Add(term))
            throw new DiscoException($"term \"{term}\" appears twice");
        _postings.BeginTerm();
        var last = -1;
        for (var i = 0; i < docs.Length; i++)
        {
            var doc = docs[i];
            var w = weights[i];
            if (doc <= last)
                throw new DiscoException($"term \"{term}\": document {doc} after {last} (documents must increase)");
            if (!float.IsFinite(w) || w < 0)
                throw new DiscoException($"term \"{term}\": weight {w} of document {doc} is not a finite non-negative number");
            last = doc;
            if (w == 0)
                continue;
            if (_maxCode > 0 && MathF.Round(w / _options.Scale!.Value) > _maxCode && _options.RefuseClamping)
                throw new DiscoException($"term \"{term}\": impact {w} of document {doc} does not fit {ImpactEncodingNames.Name(_options.Impacts)} at scale {_options.Scale}");
            _postings.Add(doc, w);
            _maxWeight = Math.Max(_maxWeight, w);
        }
        _maxDoc = Math.Max(_maxDoc, last);
        _postings.EndTerm(term);
    }

    /// <summary>Writes the remaining files and meta.json, and moves the index into place.</summary>
    public IndexMetadata Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_maxDoc >= _docIds.Count)
            throw new DiscoException($"a posting refers to document {_maxDoc}, but there are only {_docIds.Count} documents");
        _docIds.Complete();
        var meta = new IndexMetadata
        {
            Documents = _docIds.Count,
            Terms = _terms.Count,
            Impacts = ImpactEncodingNames.Name(_options.Impacts),
            Scale = _options.Impacts == ImpactEncoding.Float32 ? null : _options.Scale,
            MaxWeight = _maxWeight,
            RangeBits = _options.RangeBits,
        };
        _directory.CompleteFiles(meta, _postings, _docIds);
        _postings.Dispose();
        _docIds.Dispose();
        _directory.Complete(meta, BuildInfo);
        _completed = true;
        return meta;
    }

    public void Dispose()
    {
        _postings.Dispose();
        _docIds.Dispose();
        _completed = true;
        _directory.Dispose();
    }
}
