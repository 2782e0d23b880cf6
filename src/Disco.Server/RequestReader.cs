using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Disco.Server;

/// <summary>
/// Parses request bodies defensively: the body is read up to the size limit (413 past it), parsed
/// as strict JSON (no comments, trailing commas or duplicate fields, bounded depth), and every
/// field is checked by name and type, so a typo such as <c>"questoin"</c> is a 400 naming
/// <c>$.conversation[0].questoin</c> rather than a silently empty field.
/// </summary>
internal static class RequestReader
{
    private static readonly JsonDocumentOptions Json = new() { MaxDepth = 16, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The body's bytes; 415 unless JSON, 413 when longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        // Requiring application/json also makes a cross-origin POST need a CORS preflight, which fails unless --cors allows the origin.
        if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType, "the body must be JSON (Content-Type: application/json)");
        if (request.ContentLength > maxBytes)
            throw TooLarge(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static SearchRequest ReadSearch(byte[] body, DiscoSearchOptions limits)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        Fields(root, "$", "conversation", "text", "vector", "k", "flatten", "explain");
        var conversation = Turns(root, limits);
        var text = Text(root, "text", limits);
        var vector = Vector(root, limits);
        var given = (conversation is null ? 0 : 1) + (text is null ? 0 : 1) + (vector is null ? 0 : 1);
        if (given != 1)
            throw new RequestException(StatusCodes.Status400BadRequest, "give exactly one of \"conversation\", \"text\" or \"vector\"", "$");
        var k = SearchRequest.DefaultK;
        if (Member(root, "k") is { } kElement)
        {
            if (kElement.ValueKind != JsonValueKind.Number || !kElement.TryGetInt32(out k))
                throw RequestException.BadField("$.k", "must be an integer");
            if (k < 1 || k > limits.MaxK)
                throw RequestException.BadField("$.k", $"must be between 1 and {limits.MaxK}, got {k}");
        }
        return new SearchRequest(conversation, text, vector, k, Flatten(root), Boolean(root, "explain"));
    }

    public static EncodeRequest ReadEncode(byte[] body, DiscoSearchOptions limits)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        Fields(root, "$", "text", "conversation", "kind", "flatten");
        var conversation = Turns(root, limits);
        var text = Text(root, "text", limits);
        if ((conversation is null) == (text is null))
            throw new RequestException(StatusCodes.Status400BadRequest, "give exactly one of \"text\" or \"conversation\"", "$");
        var kind = String(root, "kind") ?? EncodeRequest.Query;
        if (kind is not (EncodeRequest.Query or EncodeRequest.Document))
            throw RequestException.BadField("$.kind", $"must be \"{EncodeRequest.Document}\" or \"{EncodeRequest.Query}\", got \"{kind}\"");
        if (kind == EncodeRequest.Document && conversation is not null)
            throw RequestException.BadField("$.conversation", "documents are texts; a conversation is encoded as a query");
        return new EncodeRequest(text, conversation, kind, Flatten(root));
    }

    private static RequestException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"the request body is larger than the limit of {maxBytes} bytes");

    private static JsonDocument Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Json);
        }
        catch (JsonException e)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, $"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}", "$");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new RequestException(StatusCodes.Status400BadRequest, "the body must be a JSON object", "$");
        }
        return document;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }

    /// <summary>Rejects members other than <paramref name="allowed"/>, and repeated members.</summary>
    private static void Fields(JsonElement element, string path, params string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                throw new RequestException(StatusCodes.Status400BadRequest, $"{path}.{property.Name}: unknown field (expected {string.Join(", ", allowed)})", $"{path}.{property.Name}");
            if (!seen.Add(property.Name))
                throw RequestException.BadField($"{path}.{property.Name}", "appears twice");
        }
    }

    /// <summary>The member, or null when absent or JSON null.</summary>
    private static JsonElement? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement element, string name, string path = "$")
    {
        if (Member(element, name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw RequestException.BadField($"{path}.{name}", "must be a string");
        return value.GetString();
    }

    private static bool Boolean(JsonElement element, string name) => Member(element, name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw RequestException.BadField($"$.{name}", "must be true or false"),
    };

    private static string? Text(JsonElement element, string name, DiscoSearchOptions limits, string path = "$", bool required = false)
    {
        var text = String(element, name, path);
        if (text is null)
        {
            if (required)
                throw RequestException.BadField($"{path}.{name}", "is required");
            return null;
        }
        if (string.IsNullOrWhiteSpace(text) && required)
            throw RequestException.BadField($"{path}.{name}", "must not be empty");
        if (string.IsNullOrWhiteSpace(text) && name == "text")
            throw RequestException.BadField($"{path}.{name}", "must not be empty");
        if (text.Length > limits.MaxTextLength)
            throw RequestException.BadField($"{path}.{name}", $"is {text.Length} characters long; the limit is {limits.MaxTextLength}");
        return text;
    }

    /// <summary>The <c>flatten</c> field under its canonical name (an alias such as <c>last</c> is accepted), or null.</summary>
    private static string? Flatten(JsonElement root)
    {
        if (String(root, "flatten") is not { } flatten)
            return null;
        if (FlatteningModeNames.Parse(flatten) is not { } mode)
            throw RequestException.BadField("$.flatten", $"must be one of {string.Join(", ", FlatteningModeNames.Names)} (or {string.Join(", ", FlatteningModeNames.Aliases.Take(2))}), got \"{flatten}\"");
        return FlatteningModeNames.Name(mode);
    }

    private static List<ConversationTurn>? Turns(JsonElement root, DiscoSearchOptions limits)
    {
        if (Member(root, "conversation") is not { } array)
            return null;
        if (array.ValueKind != JsonValueKind.Array)
            throw RequestException.BadField("$.conversation", "must be an array of {\"question\", \"answer\"} turns");
        var count = array.GetArrayLength();
        if (count == 0)
            throw RequestException.BadField("$.conversation", "must hold at least one turn");
        if (count > limits.MaxTurns)
            throw RequestException.BadField("$.conversation", $"has {count} turns; the limit is {limits.MaxTurns}");
        var turns = new List<ConversationTurn>(count);
        var i = 0;
        foreach (var turn in array.EnumerateArray())
        {
            var path = $"$.conversation[{i}]";
            if (turn.ValueKind != JsonValueKind.Object)
                throw RequestException.BadField(path, "must be an object {\"question\", \"answer\"}");
            Fields(turn, path, "question", "answer");
            var question = Text(turn, "question", limits, path, required: true)!;
            var answer = Text(turn, "answer", limits, path);
            if (i == count - 1 && answer is not null)
                throw RequestException.BadField($"{path}.answer", "the last turn is the current question and has no answer yet");
            turns.Add(new ConversationTurn(question, answer));
            i++;
        }
        return turns;
    }

    private static Dictionary<string, float>? Vector(JsonElement root, DiscoSearchOptions limits)
    {
        if (Member(root, "vector") is not { } element)
            return null;
        if (element.ValueKind != JsonValueKind.Object)
            throw RequestException.BadField("$.vector", "must be an object {\"token\": weight}");
        var vector = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var path = $"$.vector[\"{property.Name}\"]";
            if (vector.Count == limits.MaxVectorTerms)
                throw RequestException.BadField("$.vector", $"has more than {limits.MaxVectorTerms} terms");
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetSingle(out var weight) || !float.IsFinite(weight) || weight < 0)
                throw RequestException.BadField(path, "must be a finite number, zero or more");
            if (!vector.TryAdd(property.Name, weight))
                throw RequestException.BadField(path, "appears twice");
        }
        if (vector.Count == 0)
            throw RequestException.BadField("$.vector", "must hold at least one term");
        return vector;
    }
}
