using System.Text.Json;
using Disco.Core.IO;

namespace Disco.Core.Texts;

/// <summary>
/// Reads texts from TSV (<c>id&lt;TAB&gt;text</c>, extra columns ignored) or JSONL
/// (<c>{"id", "text"}</c>, or <c>"contents"</c> as Pyserini writes). The format is chosen by the
/// first non-blank character of the file: '{' means JSONL.
/// </summary>
public static class TextRecordFile
{
    public static bool LooksLikeJsonl(string path)
    {
        using var reader = new StreamReader(path);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (!char.IsWhiteSpace((char)c) && c != '\uFEFF')
                return c == '{';
        }
        return false;
    }

    /// <summary>
    /// Reads the texts of a file (strict UTF-8). <paramref name="uniqueIds"/> refuses an id seen
    /// before; collections are checked for duplicate ids where an index is built.
    /// </summary>
    /// <param name="path">A TSV or JSONL file, or a folder holding SPLADE's <c>raw.tsv</c>.</param>
    public static IEnumerable<TextRecord> Read(string path, bool skipHeader = false, bool uniqueIds = false)
    {
        path = DataPaths.Resolve(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        return LooksLikeJsonl(path) ? ReadJsonl(path, uniqueIds) : ReadTsv(path, skipHeader, uniqueIds);
    }

    public static IEnumerable<TextRecord> ReadTsv(string path, bool skipHeader = false, bool uniqueIds = false)
    {
        var unique = uniqueIds ? new UniqueIds(path, "text") : null;
        foreach (var (line, lineNo) in Utf8Lines.Read(path))
        {
            if (skipHeader && lineNo == 1)
                continue;
            if (line.Length == 0)
                continue;
            var record = ParseTsvLine(line, path, lineNo);
            unique?.Add(record.Id, lineNo);
            yield return record;
        }
    }

    /// <summary>One TSV line: <c>id&lt;TAB&gt;text</c>, extra columns ignored.</summary>
    internal static TextRecord ParseTsvLine(string line, string path, long lineNo)
    {
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        if (tab < 0)
            throw new DataFormatException(path, lineNo, "expected id<TAB>text");
        var end = line.IndexOf('\t', tab + 1);
        var text = end < 0 ? line[(tab + 1)..] : line[(tab + 1)..end];
        return new TextRecord(line[..tab], text);
    }

    public static IEnumerable<TextRecord> ReadJsonl(string path, bool uniqueIds = false)
    {
        var unique = uniqueIds ? new UniqueIds(path, "text") : null;
        return JsonLines.Read(path, (root, lineNo) =>
        {
            var record = ParseRecord(root, path, lineNo);
            unique?.Add(record.Id, lineNo);
            return record;
        });
    }

    internal static TextRecord ParseRecord(JsonElement root, string path, long lineNo)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, lineNo, "expected a JSON object");
        if (!root.TryGetProperty("id", out var idEl) && !root.TryGetProperty("_id", out idEl))
            throw new DataFormatException(path, lineNo, "missing \"id\"");
        var id = idEl.ValueKind == JsonValueKind.String ? idEl.GetString()! : idEl.GetRawText();
        string? text = null;
        if (root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            text = t.GetString();
        else if (root.TryGetProperty("contents", out var c) && c.ValueKind == JsonValueKind.String)
            text = c.GetString();
        if (text is null)
            throw new DataFormatException(path, lineNo, "missing \"text\" (or \"contents\")");
        if (root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String && title.GetString() is { Length: > 0 } tt)
            text = $"{tt}. {text}";
        return new TextRecord(id, text);
    }
}
