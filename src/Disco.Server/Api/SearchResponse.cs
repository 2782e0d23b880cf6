using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>The answer of <c>POST /v1/search</c>: hits by score descending (ties by index order), the query as encoded, and the time taken.</summary>
public sealed record SearchResponse(
    IReadOnlyList<SearchHit> Hits,
    QueryInfo Query,
    [property: JsonPropertyName("took_ms")] double TookMilliseconds);
