using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>
/// A term of an encoded text with its weight; <see cref="Expansion"/> is true when the text's own
/// wordpieces do not hold it (the encoder added it), absent when unknown (vector queries).
/// </summary>
public sealed record QueryTermInfo(
    string Term,
    float Weight,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Expansion = null);
