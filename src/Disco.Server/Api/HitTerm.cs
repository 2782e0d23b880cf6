using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>A query term the passage holds: the two weights and their product, the term's share of the score.</summary>
public sealed record HitTerm(
    string Term,
    [property: JsonPropertyName("query_weight")] float QueryWeight,
    [property: JsonPropertyName("doc_weight")] float DocumentWeight,
    double Contribution);
