using Disco.Core.Conversations;

namespace Disco.Retrieval;

/// <summary>
/// A retriever's defaults: how conversations become query text, how queries are searched, and how
/// <see cref="ConversationalRetriever.EncodeAsync"/> batches concurrent callers.
/// </summary>
public sealed record RetrieverOptions(FlatteningOptions? Flattening = null, SearchOptions? Search = null, MicroBatchOptions? MicroBatch = null)
{
    public FlatteningOptions FlatteningOrDefault => Flattening ?? new FlatteningOptions();

    public SearchOptions SearchOrDefault => Search ?? new SearchOptions();

    public MicroBatchOptions MicroBatchOrDefault => MicroBatch ?? new MicroBatchOptions();
}
