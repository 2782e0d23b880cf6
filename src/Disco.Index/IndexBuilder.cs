using System.Globalization;
using Disco.Core;
using Disco.Core.Vectors;

namespace Disco.Index;

/// <summary>
/// Builds an index from a stream of documents in bounded memory. Postings are buffered up to
/// <see cref="IndexBuildOptions.SegmentPostings"/>, flushed as sorted segment files, and merged
/// into the final files at <see cref="Complete"/>. Everything is written into a sibling directory
/// <c>DIR.tmp-&lt;guid&gt;</c>; only a complete index is renamed to <c>DIR</c>, replacing an
/// existing index only then. Disposing without completing deletes the temporary directory.
/// Internal document ids are assigned in arrival order (0, 1, ...), as SPLADE's row ids are.
/// <c>FromVectors</c>, <c>FromCollection</c> and <c>FromRecords</c> build in one call, from files or from memory.
/// </summary>
public sealed partial class IndexBuilder : IDisposable
{
    private readonly IndexDirectory _directory;
    private readonly IndexBuildOptions _options;
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<string> _termStrings = [];
    private readonly List<string> _segments = [];
    private readonly DocumentIdWriter _docIds;
    private readonly int _capacity;
    private int[] _segTerms;
    private int[] _segDocs;
    private float[] _segWeights;
    private int[] _lastDocOfTerm = [];
    private int[] _slotOfTerm = [];
    private int _segCount;
    private long _postings;
    private float _maxWeight;
    private bool _completed;
    private int[]? _vocabularyMap;
    private IReadOnlyList<string>? _mappedVocabulary;

    public IndexBuilder(string directory, IndexBuildOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _options = options ?? new IndexBuildOptions();
        if (_options.SegmentPostings < 1024)
            throw new ArgumentOutOfRangeException(nameof(options), "SegmentPostings must be at least 1024");
        if (_options.RangeBits is < IndexFormat.MinRangeBits or > IndexFormat.MaxRangeBits)
            throw new ArgumentOutOfRangeException(nameof(options), $"RangeBits must be between {IndexFormat.MinRangeBits} and {IndexFormat.MaxRangeBits}");
        _directory = new IndexDirectory(directory);
        _capacity = (int)Math.Min(_options.SegmentPostings, Array.MaxLength / 2);
        _segTerms = new int[Math.Min(_capacity, 1 << 16)];
        _segDocs = new int[_segTerms.Length];
        _segWeights = new float[_segTerms.Length];
        _docIds = new DocumentIdWriter(_directory.Temp);
    }

    /// <summary>Free-form description of the build (source files, model) recorded in meta.json.</summary>
    public Dictionary<string, string> BuildInfo { get; } = [];

    public int DocumentCount => _docIds.Count;

    /// <summary>
    /// Starts a new source of documents (a vectors file, a collection). Document ids must be
    /// unique across the whole build; a repeated id is refused with the words
    /// <paramref name="describe"/> gives for both records (0-based record number within a source).
    /// </summary>
    public void BeginSource(string name, Func<long, string>? describe = null) => _docIds.BeginSource(name, describe);

    /// <summary>Adds a document whose terms are vocabulary strings (a vectors JSONL record).</summary>
    public void Add(TermVector vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var doc = BeginDocument(vector.Id);
        for (var i = 0; i < vector.Terms.Length; i++)
            AddPosting(doc, vector.Id, TermId(vector.Terms[i]), vector.Terms[i], vector.Weights[i]);
    }

    /// <summary>Adds a document encoded over <paramref name="vocabulary"/> (term id → string).</summary>
    public void Add(string id, SparseVector vector, IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!ReferenceEquals(vocabulary, _mappedVocabulary))
        {
            _mappedVocabulary = vocabulary;
            _vocabularyMap = new int[vocabulary.Count];
            Array.Fill(_vocabularyMap, -1);
        }
        var doc = BeginDocument(id);
        for (var i = 0; i < vector.Count; i++)
        {
            var v = vector.Indices[i];
            if ((uint)v >= (uint)_vocabularyMap!.Length)
                throw new DiscoException($"document {id}: term id {v} is outside the vocabulary ({vocabulary.Count} terms)");
            var t = _vocabularyMap[v];
            if (t < 0)
                t = _vocabularyMap[v] = TermId(vocabulary[v]);
            AddPosting(doc, id, t, vocabulary[v], vector.Values[i]);
        }
    }

    /// <summary>Merges the segments, writes the index and moves it into place.</summary>
    public IndexMetadata Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        FlushSegment();
        _docIds.Complete();
        var encoding = _options.Impacts;
        float? scale = encoding == ImpactEncoding.Float32 ? null
            : _maxWeight > 0 ? _maxWeight / IndexFormat.MaxCode(encoding) : 1f;
        var meta = new IndexMetadata
        {
            Documents = _docIds.Count,
            Terms = _termStrings.Count,
            Impacts = ImpactEncodingNames.Name(encoding),
            Scale = scale,
            MaxWeight = _maxWeight,
            RangeBits = _options.RangeBits,
        };
        using (var writer = new PostingsWriter(_directory.Temp, encoding, scale ?? 1f, _options.RangeBits))
        {
            var readers = _segments.Select(SegmentFile.Open).ToList();
            try
            {
                for (var t = 0; t < _termStrings.Count; t++)
                {
                    writer.BeginTerm();
                    foreach (var r in readers)
                    {
                        if (r.Term == t)
                            r.CopyTerm(writer);
                    }
                    writer.EndTerm(_termStrings[t]);
                }
            }
            finally
            {
                foreach (var r in readers)
                    r.Dispose();
            }
            _directory.CompleteFiles(meta, writer, _docIds);
        }
        _docIds.Dispose();
        foreach (var s in _segments)
            File.Delete(s);
        meta.Build["segmentPostings"] = _options.SegmentPostings.ToString(CultureInfo.InvariantCulture);
        meta.Build["segments"] = _segments.Count.ToString(CultureInfo.InvariantCulture);
        _directory.Complete(meta, BuildInfo);
        _completed = true;
        return meta;
    }

    public void Dispose()
    {
        _docIds.Dispose();
        _completed = true;
        _directory.Dispose();
    }

    private int BeginDocument(string id)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ArgumentNullException.ThrowIfNull(id);
        if (_segCount >= _capacity)
            FlushSegment();
        return _docIds.Add(id);
    }

    private int TermId(string term)
    {
        if (_termIds.TryGetValue(term, out var id))
            return id;
        id = _termStrings.Count;
        _termIds.Add(term, id);
        _termStrings.Add(term);
        if (id >= _lastDocOfTerm.Length)
        {
            var size = Math.Max(1024, _lastDocOfTerm.Length * 2);
            var old = _lastDocOfTerm.Length;
            Array.Resize(ref _lastDocOfTerm, size);
            Array.Resize(ref _slotOfTerm, size);
            Array.Fill(_lastDocOfTerm, -1, old, size - old);
        }
        return id;
    }

    private void AddPosting(int doc, string id, int term, string termString, float weight)
    {
        if (!float.IsFinite(weight))
            throw new DiscoException($"document {id}: weight of \"{termString}\" is not a finite number");
        if (weight < 0)
            throw new DiscoException($"document {id}: weight of \"{termString}\" is negative ({weight}); the index stores non-negative impacts (SPLADE weights are log(1 + relu(.)) >= 0)");
        if (weight == 0)
            return;
        if (_lastDocOfTerm[term] == doc)
        {
            // A term repeated within one document: its weights add up, as in SparseVector.FromPairs.
            _segWeights[_slotOfTerm[term]] += weight;
            _maxWeight = Math.Max(_maxWeight, _segWeights[_slotOfTerm[term]]);
            return;
        }
        if (_segCount == _segTerms.Length)
        {
            // Segments end at document boundaries, so one may overshoot the capacity by a document.
            var size = (int)Math.Min((long)_segTerms.Length * 2, Array.MaxLength);
            Array.Resize(ref _segTerms, size);
            Array.Resize(ref _segDocs, size);
            Array.Resize(ref _segWeights, size);
        }
        _lastDocOfTerm[term] = doc;
        _slotOfTerm[term] = _segCount;
        _segTerms[_segCount] = term;
        _segDocs[_segCount] = doc;
        _segWeights[_segCount] = weight;
        _segCount++;
        _postings++;
        _maxWeight = Math.Max(_maxWeight, weight);
    }

    private void FlushSegment()
    {
        if (_segCount == 0)
            return;
        // Counting sort by term keeps the documents of each term in arrival (= increasing) order.
        var termCount = _termStrings.Count;
        var starts = new int[termCount + 1];
        for (var i = 0; i < _segCount; i++)
            starts[_segTerms[i] + 1]++;
        for (var t = 0; t < termCount; t++)
            starts[t + 1] += starts[t];
        var fill = starts.AsSpan(0, termCount).ToArray();
        var docs = new int[_segCount];
        var weights = new float[_segCount];
        for (var i = 0; i < _segCount; i++)
        {
            var at = fill[_segTerms[i]]++;
            docs[at] = _segDocs[i];
            weights[at] = _segWeights[i];
        }
        var path = Path.Combine(_directory.Temp, $"segment-{_segments.Count:D5}.tmp");
        SegmentFile.Write(path, termCount, starts, docs, weights);
        _segments.Add(path);
        _segCount = 0;
    }
}
