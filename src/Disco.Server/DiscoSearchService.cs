using System.Diagnostics;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.Retrieval;
using Disco.Server.Api;
using Disco.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Disco.Server;

/// <summary>
/// The search service behind the HTTP endpoints, host-independent: loads the encoders, index and
/// collection once (as a hosted service, before the server accepts requests), answers search and
/// encode requests through one <see cref="ConversationalRetriever"/> (queries of concurrent requests
/// are encoded in micro-batches; searches run on a bounded number of workers), and swaps the index
/// on <see cref="ReloadAsync"/> without failing a request.
/// </summary>
public sealed partial class DiscoSearchService : IHostedService, IDisposable
{
    private const string RequestQueryId = "request";
    private readonly DiscoSearchOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly SemaphoreSlim _searchSlots;
    private volatile Loaded? _loaded;
    private int _waitingSearches;
    private long _generation;
    private DateTimeOffset _loadedAt;

    public DiscoSearchService(IOptions<DiscoSearchOptions> options, ILogger<DiscoSearchService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _options.Validate();
        _logger = logger;
        _searchSlots = new SemaphoreSlim(_options.SearchWorkers, _options.SearchWorkers);
    }

    public DiscoSearchOptions Options => _options;

    public ServerMetrics Metrics { get; } = new();

    /// <summary>True once the models and index are loaded.</summary>
    public bool IsReady => _loaded is not null;

    /// <summary>The retriever serving requests (after start).</summary>
    public ConversationalRetriever Retriever => Ready().Retriever;

    /// <summary>Index loads so far: 1 after start, one more per reload.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _loaded = await Loaded.LoadAsync(_options, new LoggerWarningWriter(_logger), cancellationToken).ConfigureAwait(false);
        _loadedAt = DateTimeOffset.UtcNow;
        Interlocked.Increment(ref _generation);
        LogLoaded(_loaded.Retriever.Index.DocumentCount, _loaded.Collection?.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Nothing to stop: the host finishes in-flight requests first, then disposes the service.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var loaded = Ready();
        var clock = Stopwatch.StartNew();
        var query = request switch
        {
            { Conversation: { } turns } => Query.FromConversation(ToConversation(turns)),
            { Text: { } text } => Query.FromText(RequestQueryId, text),
            { Vector: { } vector } => Query.FromTerms(new TermVector(RequestQueryId, [.. vector.Keys], [.. vector.Values])),
            _ => throw new RequestException(StatusCodes.Status400BadRequest, "give exactly one of \"conversation\", \"text\" or \"vector\"", "$"),
        };
        var encoded = await EncodeQueryAsync(loaded, query, request.Flatten, cancellationToken).ConfigureAwait(false);
        var options = _options.Retriever.SearchOrDefault with { TopK = request.K, Explain = request.Explain };
        var result = await RunSearchAsync(() => loaded.Retriever.Search(encoded, options), cancellationToken).ConfigureAwait(false);
        var hits = new List<SearchHit>(result.Documents.Count);
        foreach (var document in result.Documents)
        {
            var text = loaded.Collection?.Find(document.DocumentId)?.Text;
            var terms = document.MatchedTerms?.Select(t => new HitTerm(t.Token, t.QueryWeight, t.DocumentWeight, t.Contribution)).ToList();
            IReadOnlyList<TextHighlight>? highlights = null;
            if (request.Explain && text is not null && loaded.DocumentTerms is { } highlighter && document.MatchedTerms is { } matched)
            {
                var set = matched.Select(t => t.Token).ToHashSet(StringComparer.Ordinal);
                highlights = [.. highlighter.Find(text, set).Select(s => new TextHighlight(s.Start, s.Length, s.Terms))];
            }
            hits.Add(new SearchHit(document.DocumentId, document.Score, text, terms, highlights));
        }
        var info = new QueryInfo(encoded.Text, QueryTerms(loaded, encoded.Text, encoded.Terms), encoded.EncodeMilliseconds, result.Latency?.SearchMilliseconds ?? 0);
        return new SearchResponse(hits, info, clock.Elapsed.TotalMilliseconds);
    }

    public async Task<EncodeResponse> EncodeAsync(EncodeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var loaded = Ready();
        var clock = Stopwatch.StartNew();
        if (request.Kind == EncodeRequest.Document && loaded.DocumentEncoder is { } documents)
        {
            var text = request.Text ?? throw RequestException.BadField("$.text", "is required for documents");
            var vector = await documents.Batcher.EncodeAsync(text, cancellationToken).ConfigureAwait(false);
            var terms = vector.Vector.Indices.Select((id, i) => new QueryTerm(documents.Encoder.Vocabulary[id], vector.Vector.Values[i]))
                .OrderByDescending(t => t.Weight).ThenBy(t => t.Token, StringComparer.Ordinal).ToList();
            return new EncodeResponse(request.Kind, text, QueryTerms(loaded, text, terms, loaded.DocumentTerms), clock.Elapsed.TotalMilliseconds);
        }
        // Without a separate document encoder, documents and queries share the query encoder.
        var query = request.Conversation is { } turns ? Query.FromConversation(ToConversation(turns)) : Query.FromText(RequestQueryId, request.Text!);
        var encoded = await EncodeQueryAsync(loaded, query, request.Flatten, cancellationToken).ConfigureAwait(false);
        return new EncodeResponse(request.Kind, encoded.Text!, QueryTerms(loaded, encoded.Text, encoded.Terms), clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Statistics of the index served now.</summary>
    public IndexInfo IndexInfo()
    {
        var loaded = Ready();
        var index = loaded.Retriever.Index;
        return new IndexInfo(
            index.DocumentCount,
            index.TermCount,
            index.PostingCount,
            index.DocumentCount == 0 ? 0 : (double)index.PostingCount / index.DocumentCount,
            index.Metadata.Impacts,
            index.Metadata.Version,
            loaded.Collection?.Count,
            Generation,
            _loadedAt);
    }

    /// <summary>
    /// Reopens the index folder (replaced by <c>disco index</c>'s atomic rename, say) and serves it
    /// from now on; requests already searching finish on the old index, which is closed after them.
    /// On failure the old index stays in service.
    /// </summary>
    public async Task<ReloadResponse> ReloadAsync(CancellationToken cancellationToken = default)
    {
        var loaded = Ready();
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            SparseIndex index;
            try
            {
                index = await Task.Run(() => SparseIndex.Open(_options.IndexDirectory), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DiscoException or IOException or UnauthorizedAccessException)
            {
                LogReloadFailed(e.Message);
                throw new RequestException(StatusCodes.Status500InternalServerError, $"reload failed, still serving the previous index: {e.Message}");
            }
            var previous = await loaded.Retriever.ReplaceIndexAsync(index).ConfigureAwait(false);
            previous.Dispose();
            _loadedAt = DateTimeOffset.UtcNow;
            var generation = Interlocked.Increment(ref _generation);
            LogReloaded(index.DocumentCount, generation, clock.Elapsed.TotalMilliseconds);
            return new ReloadResponse(index.DocumentCount, generation, clock.Elapsed.TotalMilliseconds);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>The gauges that <c>/metrics</c> adds to the request counters.</summary>
    public IEnumerable<(string Name, string Help, string Type, double Value)> Gauges()
    {
        if (_loaded is not { } loaded)
            yield break;
        var batches = loaded.Retriever.MicroBatches;
        yield return ("disco_queries_encoded_total", "Queries encoded (micro-batched).", "counter", batches.Queries);
        yield return ("disco_encode_batches_total", "Encoder calls for queries; queries per call = encoded / batches.", "counter", batches.Batches);
        yield return ("disco_index_documents", "Documents in the index served now.", "gauge", loaded.Retriever.Index.DocumentCount);
        yield return ("disco_index_generation", "Index loads: 1 at start, one more per reload.", "counter", Generation);
        yield return ("disco_search_waiting", "Requests waiting for a search worker.", "gauge", Volatile.Read(ref _waitingSearches));
    }

    public void Dispose()
    {
        _loaded?.Dispose();
        _reloadGate.Dispose();
        _searchSlots.Dispose();
    }

    private Loaded Ready() => _loaded ?? throw new RequestException(StatusCodes.Status503ServiceUnavailable, "the service is still loading");

    private static Conversation ToConversation(IReadOnlyList<ConversationTurn> turns) =>
        new(RequestQueryId, [.. turns.Select(t => new Turn(t.Question, t.Answer))]);

    private async Task<EncodedQuery> EncodeQueryAsync(Loaded loaded, Query query, string? flatten, CancellationToken cancellationToken)
    {
        if (query.NeedsEncoding && loaded.Retriever.Encoder is null)
            throw new RequestException(StatusCodes.Status400BadRequest, "this server has no query model: send a \"vector\"", "$");
        var flattening = flatten is null ? null : _options.Flattening with { Mode = FlatteningModeNames.Parse(flatten)!.Value };
        return await loaded.Retriever.EncodeAsync(query, flattening, cancellationToken).ConfigureAwait(false);
    }

    private List<QueryTermInfo> QueryTerms(Loaded loaded, string? text, IReadOnlyList<QueryTerm> terms, TermHighlighter? highlighter = null)
    {
        highlighter ??= loaded.QueryTerms;
        var own = text is not null && highlighter is not null ? highlighter.TermsOf(text, _options.Encoder.MaxLength) : null;
        return [.. terms.Select(t => new QueryTermInfo(t.Token, t.Weight, own is null ? null : !own.Contains(t.Token)))];
    }

    /// <summary>Runs a search on one of the bounded workers; 503 when too many wait already.</summary>
    private async Task<T> RunSearchAsync<T>(Func<T> search, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waitingSearches) > _options.MaxQueuedSearches + _options.SearchWorkers)
        {
            Interlocked.Decrement(ref _waitingSearches);
            throw new RequestException(StatusCodes.Status503ServiceUnavailable, "too many searches waiting; retry later");
        }
        try
        {
            await _searchSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingSearches);
        }
        try
        {
            return search();
        }
        finally
        {
            _searchSlots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving {Documents} documents ({Passages} passage texts); loaded in {Seconds:F1} s")]
    private partial void LogLoaded(int documents, int? passages, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "index reloaded: {Documents} documents, generation {Generation}, {Milliseconds:F0} ms")]
    private partial void LogReloaded(int documents, long generation, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "index reload failed, still serving the previous index: {Problem}")]
    private partial void LogReloadFailed(string problem);

    /// <summary>What start-up loads; disposed with the service.</summary>
    private sealed class Loaded : IDisposable
    {
        private readonly bool _ownsQueryEncoder;

        private Loaded(ConversationalRetriever retriever, bool ownsQueryEncoder, DocumentEncoding? documentEncoder, TextRecordStore? collection, TermHighlighter? queryTerms, TermHighlighter? documentTerms)
        {
            Retriever = retriever;
            _ownsQueryEncoder = ownsQueryEncoder;
            DocumentEncoder = documentEncoder;
            Collection = collection;
            QueryTerms = queryTerms;
            DocumentTerms = documentTerms;
        }

        public ConversationalRetriever Retriever { get; }

        /// <summary>A document encoder apart from the query encoder; null when they are the same model.</summary>
        public DocumentEncoding? DocumentEncoder { get; }

        public TextRecordStore? Collection { get; }

        /// <summary>The query model's tokenizer, to mark expansion terms; null when it has none.</summary>
        public TermHighlighter? QueryTerms { get; }

        /// <summary>The document model's tokenizer, to find matched terms in passages.</summary>
        public TermHighlighter? DocumentTerms { get; }

        /// <param name="warnings">Where the models' load warnings go (the server's log).</param>
        public static async Task<Loaded> LoadAsync(DiscoSearchOptions options, TextWriter warnings, CancellationToken cancellationToken)
        {
            var loader = new ModelLoader(options.Hub, EncoderFactories.Create(options.Backend)) { Warnings = warnings };
            var owned = new List<IDisposable>();
            try
            {
                string? queryDirectory = null;
                var queryEncoder = options.QueryEncoder;
                if (queryEncoder is null && options.QueryModel is { } queryModel)
                {
                    queryDirectory = await loader.LocateAsync(queryModel, EncoderRole.Query, cancellationToken).ConfigureAwait(false);
                    queryEncoder = await Task.Run(() => loader.LoadDirectory(queryDirectory, options.Encoder, EncoderRole.Query), cancellationToken).ConfigureAwait(false);
                    owned.Add(queryEncoder);
                }
                var documentModel = options.DocumentModel ?? (options.QueryEncoder is null ? options.QueryModel : null);
                var documentDirectory = documentModel is null ? null : await loader.LocateAsync(documentModel, EncoderRole.Document, cancellationToken).ConfigureAwait(false);
                DocumentEncoding? documentEncoder = null;
                // A doc-only model's query side (idf.json) cannot encode documents: its network does.
                if (documentDirectory is not null && (documentDirectory != queryDirectory || queryEncoder is IdfQueryEncoder))
                {
                    var encoder = await Task.Run(() => loader.LoadDirectory(documentDirectory, options.Encoder), cancellationToken).ConfigureAwait(false);
                    owned.Add(encoder);
                    documentEncoder = new DocumentEncoding(encoder, new MicroBatchEncoder(encoder, options.Retriever.MicroBatchOrDefault));
                }
                var index = await Task.Run(() => SparseIndex.Open(options.IndexDirectory), cancellationToken).ConfigureAwait(false);
                owned.Add(index);
                var collection = options.Collection is null ? null : await Task.Run(() => TextRecordStore.Open(options.Collection), cancellationToken).ConfigureAwait(false);
                if (collection is not null)
                    owned.Add(collection);
                var retriever = new ConversationalRetriever(queryEncoder, index, options.Retriever);
                return new Loaded(retriever, options.QueryEncoder is null, documentEncoder, collection, Highlighter(queryDirectory), Highlighter(documentDirectory ?? queryDirectory));
            }
            catch
            {
                foreach (var o in owned)
                    o.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Retriever.Index.Dispose();
            if (_ownsQueryEncoder)
                Retriever.Encoder?.Dispose();
            DocumentEncoder?.Encoder.Dispose();
            Collection?.Dispose();
        }

        /// <summary>The folder's tokenizer for explanations; none when the folder has no WordPiece vocabulary (highlighting and expansion marks are then off).</summary>
        private static TermHighlighter? Highlighter(string? directory)
        {
            if (directory is null)
                return null;
            try
            {
                return new TermHighlighter(WordPieceTokenizer.FromDirectory(directory));
            }
            catch (DiscoException)
            {
                return null;
            }
        }
    }

    private sealed record DocumentEncoding(ISparseEncoder Encoder, MicroBatchEncoder Batcher);
}
