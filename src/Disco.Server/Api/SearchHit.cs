using System.Text.Json.Serialization;

namespace Disco.Server.Api;

/// <summary>
/// One ranked passage: its id, its score, its text (when the server has a collection) and, when
/// explained, the matched terms by contribution and the words of the text holding them.
/// </summary>
public sealed record SearchHit(
    string Id,
    float Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<HitTerm>? Terms = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TextHighlight>? Highlights = null);
