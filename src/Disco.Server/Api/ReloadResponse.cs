using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>The answer of <c>POST /v1/admin/reload</c>: the index now served.</summary>
public sealed record ReloadResponse(int Documents, long Generation, [property: JsonPropertyName("took_ms")] double TookMilliseconds);
