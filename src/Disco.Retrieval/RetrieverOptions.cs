using Disco.Core.Conversations;

namespace Disco.Retrieval;

/// <summary>A retriever's defaults: how conversations become query text, and how queries are searched.</summary>
public sealed record RetrieverOptions(FlatteningOptions? Flattening = null, SearchOptions? Search = null)
{
    public FlatteningOptions FlatteningOrDefault => Flattening ?? new FlatteningOptions();

    public SearchOptions SearchOrDefault => Search ?? new SearchOptions();
}
