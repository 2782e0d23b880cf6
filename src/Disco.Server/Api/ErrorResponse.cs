using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>Every error answer: a one-line message and, for a bad request, the JSON path of the field at fault.</summary>
public sealed record ErrorResponse(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);
