using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>The answer of <c>POST /v1/encode</c>: the text the encoder read and its sparse vector as terms by weight.</summary>
public sealed record EncodeResponse(
    string Kind,
    string Flattened,
    IReadOnlyList<QueryTermInfo> Terms,
    [property: JsonPropertyName("took_ms")] double TookMilliseconds);
