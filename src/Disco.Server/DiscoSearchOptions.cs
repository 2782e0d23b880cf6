using Disco.Core.Conversations;
using Disco.Core.Vectors;
using Disco.Hub;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Server;

/// <summary>
/// What <see cref="DiscoSearchService"/> serves and the limits it enforces. Bound by
/// <c>services.AddDiscoSearch(o => ...)</c>; <c>disco serve</c> fills it from its options. The
/// defaults of the limits are the documented ones (docs/server.md).
/// </summary>
public sealed class DiscoSearchOptions
{
    public const int DefaultMaxK = 1000;
    public const int DefaultMaxTextLength = 20_000;
    public const int DefaultMaxTurns = 100;
    public const int DefaultMaxVectorTerms = 32_768;
    public const long DefaultMaxRequestBytes = 1 << 20;
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The index folder; <c>POST /v1/admin/reload</c> and SIGHUP reopen it.</summary>
    public string IndexDirectory { get; set; } = "";

    /// <summary>Query encoder: a folder or a HuggingFace id (a DiSCo output's <c>query/</c> encoder when present); null serves vector queries only.</summary>
    public string? QueryModel { get; set; }

    /// <summary>
    /// A query encoder the host built itself (a model made in code, another backend); used instead of
    /// <see cref="QueryModel"/> and not disposed by the service. Without a model folder there is no
    /// tokenizer for highlights and expansion marks.
    /// </summary>
    public ISparseEncoder? QueryEncoder { get; set; }

    /// <summary>Document encoder for <c>/v1/encode</c> with kind document; default the query model's document encoder.</summary>
    public string? DocumentModel { get; set; }

    /// <summary>Collection (TSV or JSONL) whose passage texts answers carry; read through an offset map.</summary>
    public string? Collection { get; set; }

    /// <summary>Encoder settings (aggregation, max length, batch size, libtorch threads).</summary>
    public SpladeEncoderOptions Encoder { get; set; } = new();

    /// <summary>Flattening, search algorithm, pruning and micro-batching; the request's k, flatten and explain override per request.</summary>
    public RetrieverOptions Retriever { get; set; } = new();

    /// <summary>Where HuggingFace ids resolve; default <see cref="HubOptions.FromEnvironment"/>.</summary>
    public HubOptions? Hub { get; set; }

    /// <summary>Searches running at once (default: the number of cores); more wait their turn.</summary>
    public int SearchWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>Requests waiting for a search worker before new ones get 503.</summary>
    public int MaxQueuedSearches { get; set; } = 1024;

    public int MaxK { get; set; } = DefaultMaxK;

    /// <summary>Longest text, question or answer, in characters.</summary>
    public int MaxTextLength { get; set; } = DefaultMaxTextLength;

    public int MaxTurns { get; set; } = DefaultMaxTurns;

    public int MaxVectorTerms { get; set; } = DefaultMaxVectorTerms;

    /// <summary>Largest request body; larger ones get 413.</summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>A request still running after this gets 504.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>When set, <c>/v1/*</c> and <c>/metrics</c> need <c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>; without it, only loopback clients may reload.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Default flattening of conversations (<see cref="RetrieverOptions.Flattening"/>).</summary>
    public FlatteningOptions Flattening => Retriever.FlatteningOrDefault;

    /// <summary>Throws when a value cannot work; messages name the option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(IndexDirectory))
            throw new Core.DiscoException($"{nameof(IndexDirectory)} is required");
        static void AtLeast(long value, long min, string name)
        {
            if (value < min)
                throw new Core.DiscoException($"{name} must be at least {min}, got {value}");
        }
        AtLeast(SearchWorkers, 1, nameof(SearchWorkers));
        AtLeast(MaxQueuedSearches, 0, nameof(MaxQueuedSearches));
        AtLeast(MaxK, 1, nameof(MaxK));
        AtLeast(MaxTextLength, 1, nameof(MaxTextLength));
        AtLeast(MaxTurns, 1, nameof(MaxTurns));
        AtLeast(MaxVectorTerms, 1, nameof(MaxVectorTerms));
        AtLeast(MaxRequestBytes, 64, nameof(MaxRequestBytes));
        if (RequestTimeout <= TimeSpan.Zero)
            throw new Core.DiscoException($"{nameof(RequestTimeout)} must be positive");
        if (ApiKey is { Length: < 8 })
            throw new Core.DiscoException($"{nameof(ApiKey)} must be at least 8 characters");
        Retriever.SearchOrDefault.Validate();
        Retriever.MicroBatchOrDefault.Validate();
    }
}
