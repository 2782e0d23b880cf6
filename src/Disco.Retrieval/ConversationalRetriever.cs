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
/// each. Searching is thread-safe; encoder calls are serialised (one forward pass at a time, each
/// using libtorch's threads). <see cref="ReplaceIndex"/> swaps the index under live traffic.</para>
/// </summary>
public sealed class ConversationalRetriever
{
    private readonly Lock _encoderGate = new();
    private volatile IndexContext _context;

    /// <param name="encoder">The query encoder; null when every query arrives as a term vector.</param>
    public ConversationalRetriever(ISparseEncoder? encoder, SparseIndex index, RetrieverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        Encoder = encoder;
        Options = options ?? new RetrieverOptions();
        Options.SearchOrDefault.Validate();
        _context = new IndexContext(index, encoder?.Vocabulary);
    }

    public ISparseEncoder? Encoder { get; }

    public RetrieverOptions Options { get; }

    /// <summary>The index searched now.</summary>
    public SparseIndex Index => _context.Index;

    /// <summary>
    /// Searches <paramref name="index"/> from now on and returns the index searched before.
    /// Searches already running finish on the old index; dispose it once they are done.
    /// </summary>
    public SparseIndex ReplaceIndex(SparseIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var next = new IndexContext(index, Encoder?.Vocabulary);
        return Interlocked.Exchange(ref _context, next).Index;
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
            var encoder = Encoder ?? throw new DiscoException($"query '{queries[toEncode[0]].Id}' is a text or conversation, and this retriever has no query encoder");
            var clock = Stopwatch.StartNew();
            IReadOnlyList<SparseVector> encoded;
            lock (_encoderGate)
                encoded = encoder.Encode([.. toEncode.Select(i => texts[i]!)], progress);
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
    public SearchQuery Prepare(EncodedQuery query, SearchOptions? options = null) => Prepare(_context, query, options ?? Options.SearchOrDefault);

    /// <summary>The search step: searches an encoded query in the current index.</summary>
    public SearchResult Search(EncodedQuery query, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= Options.SearchOrDefault;
        options.Validate();
        var context = _context;
        var clock = Stopwatch.StartNew();
        var searched = Prepare(context, query, options);
        var hits = context.Searcher.Search(searched, options.TopK, options.Algorithm);
        var latency = new QueryLatency(query.EncodeMilliseconds, clock.Elapsed.TotalMilliseconds);
        return Finish(context, query, searched, hits, options, latency);
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
        return batch.Latencies ? SearchTimed(queries, options, batch) : SearchBatched(queries, options, batch);
    }

    /// <summary>Encodes and prepares many queries for the current index without searching (statistics such as FLOPS).</summary>
    public IReadOnlyList<SearchQuery> PrepareMany(IReadOnlyList<Query> queries, SearchOptions? options = null, IProgress<long>? encodeProgress = null)
    {
        var context = _context;
        options ??= Options.SearchOrDefault;
        return [.. Encode(queries, encodeProgress).Select(q => Prepare(context, q, options))];
    }

    /// <summary>
    /// The matched terms of a result's top <paramref name="count"/> documents (all when null), read
    /// from the postings of the index that produced them.
    /// </summary>
    public static IReadOnlyList<RetrievedDocument> Explain(SearchResult result, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var top = count is int n ? result.Documents.Take(n).ToList() : [.. result.Documents];
        return Explain(result.Context, result.Searched, top);
    }

    private BatchSearchResult SearchBatched(IReadOnlyList<Query> queries, SearchOptions options, BatchSearchOptions batch)
    {
        var clock = Stopwatch.StartNew();
        var encoded = Encode(queries, batch.EncodeProgress);
        var encodeTime = encoded.Any(q => q.Text is not null) ? clock.Elapsed : TimeSpan.Zero;
        var context = _context;
        clock.Restart();
        var prepared = encoded.Select(q => Prepare(context, q, options)).ToList();
        var hits = context.Searcher.SearchBatch(prepared, options.TopK, options.Algorithm, batch.Threads, batch.SearchProgress);
        var results = new SearchResult[encoded.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = Finish(context, encoded[i], prepared[i], hits[i], options, latency: null);
        return new BatchSearchResult(results, encodeTime, clock.Elapsed, measuredLatencies: false);
    }

    private BatchSearchResult SearchTimed(IReadOnlyList<Query> queries, SearchOptions options, BatchSearchOptions batch)
    {
        var context = _context;
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

    private SearchOptions WithTopK(int? topK) => topK is int k ? Options.SearchOrDefault with { TopK = k } : Options.SearchOrDefault;
}
