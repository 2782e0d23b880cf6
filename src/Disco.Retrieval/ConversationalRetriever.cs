using System.Diagnostics;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Core.Vectors;
using Disco.Index;

namespace Disco.Retrieval;

/// <summary>
/// Conversational retrieval in one object: a query encoder, an index, how conversations are
/// flattened and how queries are searched. The one pipeline behind <c>disco search</c>,
/// <c>retrieve</c>, <c>quickstart</c> and <c>index stats --queries</c>.
/// <para>The two steps are also public, so a server can micro-batch: <see cref="Encode(IReadOnlyList{Query}, IProgress{long}?)"/>
/// the queries of concurrent requests together, then <see cref="Search(EncodedQuery, SearchOptions?)"/>
/// each, or let <see cref="EncodeAsync"/> gather concurrent callers into micro-batches. Searching is
/// thread-safe; encoder calls are serialised (one forward pass at a time, each using libtorch's
/// threads). <see cref="ReplaceIndexAsync"/> swaps the index under live traffic and hands the old
/// one back once no search uses it.</para>
/// </summary>
public sealed class ConversationalRetriever
{
    private readonly Lock _encoderGate = new();
    private readonly Lazy<MicroBatchEncoder> _encodeQueue;
    private volatile IndexContext _context;

    /// <param name="encoder">The query encoder; null when every query arrives as a term vector.</param>
    public ConversationalRetriever(ISparseEncoder? encoder, SparseIndex index, RetrieverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        Encoder = encoder;
        Options = options ?? new RetrieverOptions();
        Options.SearchOrDefault.Validate();
        Options.MicroBatchOrDefault.Validate();
        _context = new IndexContext(index, encoder?.Vocabulary);
        _encodeQueue = new(() => new MicroBatchEncoder(EncodeTexts, Options.MicroBatchOrDefault));
    }

    public ISparseEncoder? Encoder { get; }

    public RetrieverOptions Options { get; }

    /// <summary>The index searched now.</summary>
    public SparseIndex Index => _context.Index;

    /// <summary>Encoder calls made by <see cref="EncodeAsync"/> and the queries they encoded.</summary>
    public MicroBatchStatistics MicroBatches => _encodeQueue.IsValueCreated
        ? new MicroBatchStatistics(_encodeQueue.Value.Batches, _encodeQueue.Value.Texts)
        : new MicroBatchStatistics(0, 0);

    /// <summary>
    /// Searches <paramref name="index"/> from now on and returns the index searched before.
    /// Searches already running finish on the old index; <see cref="ReplaceIndexAsync"/> says when.
    /// </summary>
    public SparseIndex ReplaceIndex(SparseIndex index) => Swap(index).Index;

    /// <summary>
    /// Searches <paramref name="index"/> from now on; completes with the index searched before
    /// once the searches still running on it have finished, so the caller can dispose it.
    /// </summary>
    public async Task<SparseIndex> ReplaceIndexAsync(SparseIndex index)
    {
        var previous = Swap(index);
        await previous.Drained.ConfigureAwait(false);
        return previous.Index;
    }

    /// <summary>
    /// Encodes one query together with the queries of concurrent callers (micro-batches, see
    /// <see cref="MicroBatchOptions"/>); a conversation is flattened with <paramref name="flattening"/>
    /// (default <see cref="RetrieverOptions.Flattening"/>). The query's time is its batch's divided
    /// by the batch size. Vector queries pass through without waiting.
    /// </summary>
    public async Task<EncodedQuery> EncodeAsync(Query query, FlatteningOptions? flattening = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.TextToEncode(flattening ?? Options.FlatteningOrDefault);
        if (text is null)
            return new EncodedQuery(query, null, query.Vector, Encoder?.Vocabulary, 0);
        if (Encoder is null)
            throw NoEncoder(query);
        var encoded = await _encodeQueue.Value.EncodeAsync(text, cancellationToken).ConfigureAwait(false);
        return new EncodedQuery(query, text, encoded.Vector, Encoder.Vocabulary, encoded.Milliseconds);
    }

    /// <summary>Encodes one query (a conversation is flattened first).</summary>
    public EncodedQuery Encode(Query query) => Encode([query])[0];

    /// <summary>
    /// The encode step for many queries in one encoder call (the encoder batches by length):
    /// conversations flattened with <see cref="RetrieverOptions.Flattening"/>, vectors passed
    /// through. Each query's time is the call's divided by the texts encoded.
    /// </summary>
    public IReadOnlyList<EncodedQuery> Encode(IReadOnlyList<Query> queries, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var flattening = Options.FlatteningOrDefault;
        var texts = new string?[queries.Count];
        var toEncode = new List<int>();
        for (var i = 0; i < queries.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(queries[i], nameof(queries));
            texts[i] = queries[i].TextToEncode(flattening);
            if (texts[i] is not null)
                toEncode.Add(i);
        }
        var vectors = new SparseVector?[queries.Count];
        var each = 0.0;
        if (toEncode.Count > 0)
        {
            if (Encoder is null)
                throw NoEncoder(queries[toEncode[0]]);
            var clock = Stopwatch.StartNew();
            var encoded = EncodeTexts([.. toEncode.Select(i => texts[i]!)], progress);
            each = clock.Elapsed.TotalMilliseconds / toEncode.Count;
            for (var j = 0; j < toEncode.Count; j++)
                vectors[toEncode[j]] = encoded[j];
        }
        var result = new EncodedQuery[queries.Count];
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            result[i] = new EncodedQuery(q, texts[i], vectors[i] ?? q.Vector, Encoder?.Vocabulary, texts[i] is null ? 0 : each);
        }
        return result;
    }

    /// <summary>The search step's input: the encoded query over the current index's terms, pruned as <paramref name="options"/> say.</summary>
    public SearchQuery Prepare(EncodedQuery query, SearchOptions? options = null)
    {
        var context = Enter();
        try
        {
            return Prepare(context, query, options ?? Options.SearchOrDefault);
        }
        finally
        {
            context.Exit();
        }
    }

    /// <summary>The search step: searches an encoded query in the current index.</summary>
    public SearchResult Search(EncodedQuery query, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= Options.SearchOrDefault;
        options.Validate();
        var context = Enter();
        try
        {
            var clock = Stopwatch.StartNew();
            var searched = Prepare(context, query, options);
            var hits = context.Searcher.Search(searched, options.TopK, options.Algorithm);
            var latency = new QueryLatency(query.EncodeMilliseconds, clock.Elapsed.TotalMilliseconds);
            return Finish(context, query, searched, hits, options, latency);
        }
        finally
        {
            context.Exit();
        }
    }

    /// <summary>Encodes and searches one query.</summary>
    public SearchResult Search(Query query, SearchOptions? options = null) => Search(Encode(query), options);

    /// <summary>Answers the last turn of a conversation, its history flattened as configured.</summary>
    public SearchResult Search(Conversation conversation, int? topK = null) => Search(Query.FromConversation(conversation), WithTopK(topK));

    /// <summary>Searches a text (a keyword query, or a conversation already flattened).</summary>
    public SearchResult Search(string text, int? topK = null) => Search(Query.FromText("query", text), WithTopK(topK));

    /// <summary>Searches a vector over the query encoder's vocabulary.</summary>
    public SearchResult Search(SparseVector vector, int? topK = null) => Search(Query.FromVector("query", vector), WithTopK(topK));

    /// <summary>
    /// Encodes and searches many queries; results in input order. See <see cref="BatchSearchOptions"/>
    /// for the throughput and latency modes.
    /// </summary>
    public BatchSearchResult SearchMany(IReadOnlyList<Query> queries, SearchOptions? options = null, BatchSearchOptions? batch = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        options ??= Options.SearchOrDefault;
        options.Validate();
        batch ??= new BatchSearchOptions();
        var context = Enter();
        try
        {
            return batch.Latencies ? SearchTimed(context, queries, options, batch) : SearchBatched(context, queries, options, batch);
        }
        finally
        {
            context.Exit();
        }
    }

    /// <summary>Encodes and prepares many queries for the current index without searching (statistics such as FLOPS).</summary>
    public IReadOnlyList<SearchQuery> PrepareMany(IReadOnlyList<Query> queries, SearchOptions? options = null, IProgress<long>? encodeProgress = null)
    {
        options ??= Options.SearchOrDefault;
        var encoded = Encode(queries, encodeProgress);
        var context = Enter();
        try
        {
            return [.. encoded.Select(q => Prepare(context, q, options))];
        }
        finally
        {
            context.Exit();
        }
    }

    /// <summary>
    /// The matched terms of a result's top <paramref name="count"/> documents (all when null), read
    /// from the postings of the index that produced them (so call it before disposing an index that
    /// <see cref="ReplaceIndexAsync"/> handed back; <see cref="SearchOptions.Explain"/> explains
    /// during the search instead).
    /// </summary>
    public static IReadOnlyList<RetrievedDocument> Explain(SearchResult result, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var top = count is int n ? result.Documents.Take(n).ToList() : [.. result.Documents];
        return Explain(result.Context, result.Searched, top);
    }

    private BatchSearchResult SearchBatched(IndexContext context, IReadOnlyList<Query> queries, SearchOptions options, BatchSearchOptions batch)
    {
        var clock = Stopwatch.StartNew();
        var encoded = Encode(queries, batch.EncodeProgress);
        var encodeTime = encoded.Any(q => q.Text is not null) ? clock.Elapsed : TimeSpan.Zero;
        clock.Restart();
        var prepared = encoded.Select(q => Prepare(context, q, options)).ToList();
        var hits = context.Searcher.SearchBatch(prepared, options.TopK, options.Algorithm, batch.Threads, batch.SearchProgress);
        var results = new SearchResult[encoded.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = Finish(context, encoded[i], prepared[i], hits[i], options, latency: null);
        return new BatchSearchResult(results, encodeTime, clock.Elapsed, measuredLatencies: false);
    }

    private BatchSearchResult SearchTimed(IndexContext context, IReadOnlyList<Query> queries, SearchOptions options, BatchSearchOptions batch)
    {
        var results = new List<SearchResult>(queries.Count);
        if (queries.Count > 0)
        {
            // Warm up (JIT, libtorch and index pages) so the first query's latency is not the process's start-up.
            var warm = Encode([queries[0]]);
            context.Searcher.Search(Prepare(context, warm[0], options), options.TopK, options.Algorithm);
        }
        var encodeTime = TimeSpan.Zero;
        var searchTime = TimeSpan.Zero;
        var clock = new Stopwatch();
        foreach (var chunk in queries.Chunk(Math.Max(1, batch.EncodeBatchSize ?? Modeling.SpladeEncoderOptions.DefaultBatchSize)))
        {
            clock.Restart();
            var encoded = Encode(chunk);
            if (encoded.Any(q => q.Text is not null))
                encodeTime += clock.Elapsed;
            foreach (var query in encoded)
            {
                clock.Restart();
                var searched = Prepare(context, query, options);
                var hits = context.Searcher.Search(searched, options.TopK, options.Algorithm);
                var searchMs = clock.Elapsed.TotalMilliseconds;
                searchTime += clock.Elapsed;
                results.Add(Finish(context, query, searched, hits, options, new QueryLatency(query.EncodeMilliseconds, searchMs)));
            }
            batch.SearchProgress?.Report(chunk.Length);
        }
        return new BatchSearchResult(results, encodeTime, searchTime, measuredLatencies: true);
    }

    private static SearchQuery Prepare(IndexContext context, EncodedQuery query, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Vector is { } vector)
        {
            var map = context.Map ?? throw new DiscoException($"query '{query.Id}' is a vector over an encoder's term ids, and this retriever has no encoder to name them");
            return SearchQuery.Create(map, query.Id, vector, options.Pruning);
        }
        return SearchQuery.Create(context.Index, query.Source.Terms!, options.Pruning);
    }

    private static SearchResult Finish(IndexContext context, EncodedQuery query, SearchQuery searched, IndexHit[] hits, SearchOptions options, QueryLatency? latency)
    {
        var documents = new List<RetrievedDocument>(hits.Length);
        foreach (var h in hits)
        {
            if (h.Score > options.Threshold)
                documents.Add(new RetrievedDocument(h.Doc, context.Index.DocumentId(h.Doc), h.Score));
        }
        IReadOnlyList<RetrievedDocument> final = options.Explain ? Explain(context, searched, documents) : documents;
        return new SearchResult(query, searched, final, latency, context);
    }

    private static List<RetrievedDocument> Explain(IndexContext context, SearchQuery searched, List<RetrievedDocument> documents)
    {
        var impacts = PostingLookup.Impacts(context.Index, searched, [.. documents.Select(d => d.Doc)]);
        var explained = new List<RetrievedDocument>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var terms = new List<MatchedTerm>();
            for (var t = 0; t < searched.Count; t++)
            {
                if (impacts[i][t] != 0)
                    terms.Add(new MatchedTerm(context.Index.Term(searched.Terms[t]), searched.Weights[t], impacts[i][t], (double)searched.Weights[t] * impacts[i][t]));
            }
            terms.Sort((a, b) => b.Contribution != a.Contribution ? b.Contribution.CompareTo(a.Contribution) : string.CompareOrdinal(a.Token, b.Token));
            explained.Add(documents[i] with { MatchedTerms = terms });
        }
        return explained;
    }

    private IReadOnlyList<SparseVector> EncodeTexts(IReadOnlyList<string> texts) => EncodeTexts(texts, progress: null);

    private IReadOnlyList<SparseVector> EncodeTexts(IReadOnlyList<string> texts, IProgress<long>? progress)
    {
        lock (_encoderGate)
            return Encoder!.Encode(texts, progress);
    }

    private static DiscoException NoEncoder(Query query) => new($"query '{query.Id}' is a text or conversation, and this retriever has no query encoder");

    /// <summary>A lease on the current index; a context retired between reading and leasing is read again.</summary>
    private IndexContext Enter()
    {
        while (true)
        {
            var context = _context;
            if (context.TryEnter())
                return context;
        }
    }

    private IndexContext Swap(SparseIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var previous = Interlocked.Exchange(ref _context, new IndexContext(index, Encoder?.Vocabulary));
        previous.Retire();
        return previous;
    }

    private SearchOptions WithTopK(int? topK) => topK is int k ? Options.SearchOrDefault with { TopK = k } : Options.SearchOrDefault;
}
