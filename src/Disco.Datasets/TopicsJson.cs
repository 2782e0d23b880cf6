using System.Globalization;
using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Datasets;

/// <summary>
/// Reading the topic files the datasets publish (one JSON document each), with errors that name the
/// file and the topic or turn at fault, since a JSON value carries no line number once parsed.
/// </summary>
internal static class TopicsJson
{
    private const long MaxTopicsBytes = 1L << 30;

    /// <summary>
    /// Parses a topics file strictly: UTF-8 (a BOM is accepted; invalid bytes are an error with
    /// their line, not U+FFFD), no member name twice in an object (the last would silently win).
    /// The size is checked before the file is read whole.
    /// </summary>
    public static JsonDocument Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new DiscoException($"{path}: file not found");
        // The largest published topics (QReCC train, TopiOCQA train) are tens of megabytes.
        if (info.Length > MaxTopicsBytes)
            throw new DataFormatException(path, 0, $"{info.Length} bytes is larger than the {MaxTopicsBytes} bytes a topics file may have");
        var bytes = File.ReadAllBytes(path);
        var data = bytes.AsMemory(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0);
        StrictJson.CheckUtf8(data.Span, path);
        try
        {
            return JsonDocument.Parse(data, new JsonDocumentOptions { AllowTrailingCommas = true, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message}");
        }
    }

    /// <summary>Refuses two turns with one query id: their runs, qrels and training pairs would be merged under it.</summary>
    public static void RequireUniqueIds(IEnumerable<DatasetTurn> turns, string path)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var turn in turns)
        {
            if (!seen.TryAdd(turn.Id, turn.SourceId))
                throw new DataFormatException(path, 0, $"query id '{turn.Id}' is given twice (turns {seen[turn.Id]} and {turn.SourceId}); the topics repeat a topic or turn number");
        }
    }

    public static JsonElement.ArrayEnumerator Array(JsonElement element, string path, string where)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(path, 0, $"{where}: expected a JSON array, found {element.ValueKind}");
        return element.EnumerateArray();
    }

    public static JsonElement.ArrayEnumerator ArrayMember(JsonElement element, string name, string path, string where)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
            throw new DataFormatException(path, 0, $"{where}: missing \"{name}\"");
        return Array(value, path, $"{where} \"{name}\"");
    }

    public static string RequiredString(JsonElement element, string name, string path, string where)
        => OptionalString(element, name) ?? throw new DataFormatException(path, 0, $"{where}: missing \"{name}\"");

    /// <summary>A string member, or a number written as its JSON text (topic numbers are ints in some years, strings in others).</summary>
    public static string? OptionalString(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    public static string Where(string what, int index) => string.Create(CultureInfo.InvariantCulture, $"{what} {index + 1}");
}
