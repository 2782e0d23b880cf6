using System.Text.Json;

namespace Disco.Core.IO;

/// <summary>
/// Reads JSONL files one object per line, skipping blank lines; a line that is not JSON becomes a
/// <see cref="DataFormatException"/> naming the file and line, so every JSONL reader reports alike.
/// Lines are strict UTF-8 (<see cref="Utf8Lines"/>); a line holds exactly one JSON value (a second
/// object after it is refused, not ignored) and no object with a member name twice.
/// </summary>
public static class JsonLines
{
    /// <summary>Parses each non-blank line and hands its root element (with the 1-based line) to <paramref name="parse"/>.</summary>
    public static IEnumerable<T> Read<T>(string path, Func<JsonElement, long, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        return ReadExisting(path, parse);
    }

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Parses one line's JSON, turning syntax errors into <see cref="DataFormatException"/>.</summary>
    public static JsonDocument ParseLine(string line, string path, long lineNo)
    {
        try
        {
            return JsonDocument.Parse(line, Strict);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, lineNo, $"invalid JSON: {e.Message}");
        }
    }

    private static IEnumerable<T> ReadExisting<T>(string path, Func<JsonElement, long, T> parse)
    {
        foreach (var (line, lineNo) in Utf8Lines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var doc = ParseLine(line, path, lineNo);
            yield return parse(doc.RootElement, lineNo);
        }
    }
}
