using System.Globalization;
using System.Text;
using Disco.Core;
using Disco.Core.Vectors;

namespace Disco.Index;

/// <summary>
/// Builds an index from a stream of documents in bounded memory. Postings are buffered up to
/// <see cref="IndexBuildOptions.SegmentPostings"/>, flushed as sorted segment files, and merged
/// into the final files at <see cref="Complete"/>. Everything is written into a sibling directory
/// <c>DIR.tmp-&lt;guid&gt;</c>; only a complete index is renamed to <c>DIR</c>, replacing an
/// existing index only then. Disposing without completing deletes the temporary directory.
/// Internal document ids are assigned in arrival order (0, 1, ...), as SPLADE's row ids are,
/// unless <see cref="IndexBuildOptions.Order"/> asks for a clustered order. Static pruning
/// (<see cref="IndexBuildOptions.Pruning"/>) applies to each document as it arrives and to each
/// term's list when the segments are merged.
/// <c>FromVectors</c>, <c>FromCollection</c> and <c>FromRecords</c> build in one call, from files or from memory.
/// </summary>
public sealed partial class IndexBuilder : IDisposable
{
    private readonly IndexDirectory _directory;
    private readonly IndexBuildOptions _options;
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<string> _termStrings = [];
    private readonly List<string> _segments = [];

    /// <summary>Document ids in arrival order (duplicates refused here); in a reordered build they go to a side folder and <see cref="_orderedIds"/> holds the index's own.</summary>
    private readonly DocumentIdWriter _docIds;
    private readonly ForwardFile? _forward;
    private readonly StaticPruning _pruning;
    private readonly int _capacity;
    private DocumentIdWriter? _orderedIds;
    private int[] _docTerms = new int[256];
    private float[] _docWeights = new float[256];
    private int _docLength;
    private int _current;
    private long _inputPostings;
    private long _removedByMinWeight;
    private long _removedByDocumentTerms;
    private long _removedByListSize;
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
        _pruning = _options.Pruning ?? new StaticPruning();
        _pruning.Validate();
        if (_options.SegmentPostings < 1024)
            throw new ArgumentOutOfRangeException(nameof(options), "SegmentPostings must be at least 1024");
        if (_options.RangeBits is < IndexFormat.MinRangeBits or > IndexFormat.MaxRangeBits)
            throw new ArgumentOutOfRangeException(nameof(options), $"RangeBits must be between {IndexFormat.MinRangeBits} and {IndexFormat.MaxRangeBits}");
        _directory = new IndexDirectory(directory);
        _capacity = (int)Math.Min(_options.SegmentPostings, Array.MaxLength / 2);
        _segTerms = new int[Math.Min(_capacity, 1 << 16)];
        _segDocs = new int[_segTerms.Length];
        _segWeights = new float[_segTerms.Length];
        if (_options.Order == DocumentOrder.Clustered)
        {
            // A reordered build keeps whole documents aside until all have arrived and are numbered.
            _docIds = new DocumentIdWriter(Directory.CreateDirectory(ArrivalFolder).FullName);
            _forward = new ForwardFile(Path.Combine(_directory.Temp, "documents.tmp"));
        }
        else
        {
            _docIds = new DocumentIdWriter(_directory.Temp);
        }
    }

    /// <summary>Free-form description of the build (source files, model) recorded in meta.json.</summary>
    public Dictionary<string, string> BuildInfo { get; } = [];

    public int DocumentCount => _docIds.Count;

    private string ArrivalFolder => Path.Combine(_directory.Temp, "arrival.tmp");

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
        BeginDocument(vector.Id);
        for (var i = 0; i < vector.Terms.Length; i++)
            AddTerm(vector.Id, TermId(vector.Terms[i]), vector.Terms[i], vector.Weights[i]);
        EndDocument(vector.Id);
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
        BeginDocument(id);
        for (var i = 0; i < vector.Count; i++)
        {
            var v = vector.Indices[i];
            if ((uint)v >= (uint)_vocabularyMap!.Length)
                throw new DiscoException($"document {id}: term id {v} is outside the vocabulary ({vocabulary.Count} terms)");
            var t = _vocabularyMap[v];
            if (t < 0)
                t = _vocabularyMap[v] = TermId(vocabulary[v]);
            AddTerm(id, t, vocabulary[v], vector.Values[i]);
        }
        EndDocument(id);
    }

    /// <summary>
    /// Adds the structures of approximate search to an existing index, or replaces them
    /// (<c>disco index ann</c>): the new files are written beside the old ones, meta.json is
    /// replaced atomically, then the old files are deleted; a reader sees one or the other.
    /// </summary>
    public static IndexMetadata AddApproximateSearch(string directory, AnnBuildOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return AnnBuilder.Add(directory, options ?? new AnnBuildOptions());
    }

    /// <summary>
    /// Adds the block-max section (<see cref="SearchAlgorithm.BlockMax"/>, block-max approximate
    /// search) to an existing index, or replaces it (<c>disco index blockmax</c>), as
    /// <see cref="AddApproximateSearch"/> does: a reader sees the old section or the new one.
    /// </summary>
    public static IndexMetadata AddBlockMax(string directory, BlockMaxBuildOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return BlockMaxBuilder.Add(directory, options ?? new BlockMaxBuildOptions());
    }

    /// <summary>Merges the segments, writes the index and moves it into place.</summary>
    public IndexMetadata Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        // An empty input is an error, not an empty index that replaces a good one (issue 15).
        if (_docIds.Count == 0)
            throw new DiscoException($"{_directory.Target}: no documents to index; nothing was written" + (Directory.Exists(_directory.Target) ? " and the index there is left as it was" : ""));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (_forward is not null)
        {
            _docIds.Complete();
            Reorder();
        }
        FlushSegment();
        var ids = _orderedIds ?? _docIds;
        ids.Complete();
        var encoding = _options.Impacts;
        float? scale = encoding == ImpactEncoding.Float32 ? null
            : _maxWeight > 0 ? _maxWeight / IndexFormat.MaxCode(encoding) : 1f;
        var meta = new IndexMetadata
        {
            Documents = ids.Count,
            Terms = _termStrings.Count,
            Impacts = ImpactEncodingNames.Name(encoding),
            Scale = scale,
            MaxWeight = _maxWeight,
            RangeBits = _options.RangeBits,
            DocumentOrder = _options.Order == DocumentOrder.Clustered ? "clustered" : "input",
        };
        using (var writer = new PostingsWriter(_directory.Temp, encoding, scale ?? 1f, _options.RangeBits))
        {
            var readers = _segments.Select(SegmentFile.Open).ToList();
            try
            {
                var list = new TermPostings();
                for (var t = 0; t < _termStrings.Count; t++)
                {
                    writer.BeginTerm();
                    if (_pruning.ListSize is int listSize)
                    {
                        list.Clear();
                        foreach (var r in readers)
                        {
                            if (r.Term == t)
                                r.CopyTerm(list.Add);
                        }
                        _removedByListSize += list.KeepLargest(listSize);
                        list.WriteTo(writer);
                    }
                    else
                    {
                        foreach (var r in readers)
                        {
                            if (r.Term == t)
                                r.CopyTerm(writer.Add);
                        }
                    }
                    writer.EndTerm(_termStrings[t]);
                }
            }
            finally
            {
                foreach (var r in readers)
                    r.Dispose();
            }
            _directory.CompleteFiles(meta, writer, ids);
        }
        _docIds.Dispose();
        _orderedIds?.Dispose();
        if (_forward is not null)
            Directory.Delete(ArrivalFolder, recursive: true);
        foreach (var s in _segments)
            File.Delete(s);
        meta.Build["segmentPostings"] = _options.SegmentPostings.ToString(CultureInfo.InvariantCulture);
        meta.Build["segments"] = _segments.Count.ToString(CultureInfo.InvariantCulture);
        if (!_pruning.IsEmpty)
        {
            meta.Pruning = new PruningMetadata
            {
                DocumentTerms = _pruning.DocumentTerms,
                ListSize = _pruning.ListSize,
                MinWeight = _pruning.MinWeight,
                InputPostings = _inputPostings,
                RemovedByMinWeight = _removedByMinWeight,
                RemovedByDocumentTerms = _removedByDocumentTerms,
                RemovedByListSize = _removedByListSize,
            };
        }
        meta.Build["indexSeconds"] = clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        var ann = _options.Ann;
        var blockMax = _options.BlockMax;
        _directory.Complete(meta, BuildInfo, ann is null && blockMax is null ? null : temp =>
        {
            if (ann is not null)
                meta = AnnBuilder.Add(temp, ann);
            if (blockMax is not null)
                meta = BlockMaxBuilder.Add(temp, blockMax);
        });
        _completed = true;
        return meta;
    }

    public void Dispose()
    {
        _docIds.Dispose();
        _orderedIds?.Dispose();
        _forward?.Dispose();
        _completed = true;
        _directory.Dispose();
    }

    private void BeginDocument(string id)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ArgumentNullException.ThrowIfNull(id);
        _current = _docIds.Add(id);
        _docLength = 0;
    }

    /// <summary>Collects one term of the current document; a term repeated within it has its weights added.</summary>
    private void AddTerm(string id, int term, string termString, float weight)
    {
        if (!float.IsFinite(weight))
            throw new DiscoException($"document {id}: weight of \"{termString}\" is not a finite number");
        if (weight < 0)
            throw new DiscoException($"document {id}: weight of \"{termString}\" is negative ({weight}); the index stores non-negative impacts (SPLADE weights are log(1 + relu(.)) >= 0)");
        if (weight == 0)
            return;
        if (_lastDocOfTerm[term] == _current)
        {
            // A term repeated within one document: its weights add up, as in SparseVector.FromPairs.
            _docWeights[_slotOfTerm[term]] += weight;
            return;
        }
        if (_docLength == _docTerms.Length)
        {
            Array.Resize(ref _docTerms, _docLength * 2);
            Array.Resize(ref _docWeights, _docLength * 2);
        }
        _lastDocOfTerm[term] = _current;
        _slotOfTerm[term] = _docLength;
        _docTerms[_docLength] = term;
        _docWeights[_docLength] = weight;
        _docLength++;
    }

    /// <summary>Prunes the collected document and hands it to the segments, or to the forward file when reordering.</summary>
    private void EndDocument(string id)
    {
        _inputPostings += _docLength;
        if (_pruning.MinWeight is float min)
        {
            var kept = 0;
            for (var i = 0; i < _docLength; i++)
            {
                if (_docWeights[i] >= min)
                {
                    _docTerms[kept] = _docTerms[i];
                    _docWeights[kept++] = _docWeights[i];
                }
            }
            _removedByMinWeight += _docLength - kept;
            _docLength = kept;
        }
        if (_pruning.DocumentTerms is int keep && _docLength > keep)
        {
            // The heaviest terms; equal weights are kept in ordinal order of the term strings, so
            // the result does not depend on the order terms arrived in.
            var order = Enumerable.Range(0, _docLength)
                .OrderByDescending(i => _docWeights[i])
                .ThenBy(i => _termStrings[_docTerms[i]], StringComparer.Ordinal)
                .Take(keep)
                .ToArray();
            var terms = order.Select(i => _docTerms[i]).ToArray();
            var weights = order.Select(i => _docWeights[i]).ToArray();
            terms.CopyTo(_docTerms, 0);
            weights.CopyTo(_docWeights, 0);
            _removedByDocumentTerms += _docLength - keep;
            _docLength = keep;
        }
        for (var i = 0; i < _docLength; i++)
            _maxWeight = Math.Max(_maxWeight, _docWeights[i]);
        if (_forward is not null)
        {
            _forward.Write(Encoding.UTF8.GetBytes(id), _docTerms.AsSpan(0, _docLength), _docWeights.AsSpan(0, _docLength));
            return;
        }
        AddDocument(_current, _docTerms.AsSpan(0, _docLength), _docWeights.AsSpan(0, _docLength));
    }

    /// <summary>Buffers the postings of document <paramref name="doc"/> (its internal number).</summary>
    private void AddDocument(int doc, ReadOnlySpan<int> terms, ReadOnlySpan<float> weights)
    {
        // Segments end at document boundaries.
        if (_segCount >= _capacity)
            FlushSegment();
        for (var i = 0; i < terms.Length; i++)
            AddToSegment(doc, terms[i], weights[i]);
    }

    /// <summary>Numbers the documents by <see cref="RecursiveBisection"/> and replays them in that order.</summary>
    private void Reorder()
    {
        var forward = _forward!;
        forward.Seal();
        var order = RecursiveBisection.Order(forward, _termStrings.Count);
        _orderedIds = new DocumentIdWriter(_directory.Temp);
        _orderedIds.Reserve(order.Length);
        foreach (var d in order)
        {
            forward.Vector(d, out var terms, out var weights);
            var doc = _orderedIds.Add(Encoding.UTF8.GetString(forward.Id(d)));
            AddDocument(doc, terms, weights);
        }
        forward.Dispose();
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

    private void AddToSegment(int doc, int term, float weight)
    {
        if (_segCount == _segTerms.Length)
        {
            // Segments end at document boundaries, so one may overshoot the capacity by a document.
            var size = (int)Math.Min((long)_segTerms.Length * 2, Array.MaxLength);
            Array.Resize(ref _segTerms, size);
            Array.Resize(ref _segDocs, size);
            Array.Resize(ref _segWeights, size);
        }
        _segTerms[_segCount] = term;
        _segDocs[_segCount] = doc;
        _segWeights[_segCount] = weight;
        _segCount++;
        _postings++;
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
