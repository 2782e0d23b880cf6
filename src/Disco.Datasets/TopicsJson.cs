using System.Globalization;
using System.Text.Json;
using Disco.Core;

namespace Disco.Datasets;

/// <summary>
/// Reading the topic files the datasets publish (one JSON document each), with errors that name the
/// file and the topic or turn at fault, since a JSON value carries no line number once parsed.
/// </summary>
internal static class TopicsJson
{
    public static JsonDocument Load(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message}");
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
