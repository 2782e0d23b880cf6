using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>The answer of <c>GET /v1/index</c>: statistics of the index served now.</summary>
public sealed record IndexInfo(
    int Documents,
    int Terms,
    long Postings,
    [property: JsonPropertyName("mean_document_terms")] double MeanDocumentTerms,
    string Impacts,
    [property: JsonPropertyName("format_version")] int FormatVersion,
    [property: JsonPropertyName("collection_records")] int? CollectionRecords,
    long Generation,
    [property: JsonPropertyName("loaded_at")] DateTimeOffset LoadedAt);
