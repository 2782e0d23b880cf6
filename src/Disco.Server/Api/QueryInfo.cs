using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>The query as encoded: the text the encoder read (null for vector queries) and its terms by weight.</summary>
public sealed record QueryInfo(
    string? Flattened,
    IReadOnlyList<QueryTermInfo> Terms,
    [property: JsonPropertyName("encode_ms")] double EncodeMilliseconds,
    [property: JsonPropertyName("search_ms")] double SearchMilliseconds);
