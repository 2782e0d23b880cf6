using System.Text.Json;

namespace Disco.Core.IO;

/// <summary>
/// Reads JSONL files one object per line, skipping blank lines; a line that is not JSON becomes a
/// <see cref="DataFormatException"/> naming the file and line, so every JSONL reader reports alike.
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

    /// <summary>Parses one line's JSON, turning syntax errors into <see cref="DataFormatException"/>.</summary>
    public static JsonDocument ParseLine(string line, string path, long lineNo)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, lineNo, $"invalid JSON: {e.Message}");
        }
    }

    private static IEnumerable<T> ReadExisting<T>(string path, Func<JsonElement, long, T> parse)
    {
        long lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var doc = ParseLine(line, path, lineNo);
            yield return parse(doc.RootElement, lineNo);
        }
    }
}
