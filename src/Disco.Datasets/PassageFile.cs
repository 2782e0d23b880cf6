using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Texts;

namespace Disco.Datasets;

/// <summary>
/// Reads a passage collection in the formats the datasets ship: TSV <c>id&lt;TAB&gt;text</c>, JSONL
/// with <c>id</c> and <c>text</c>/<c>contents</c> (Pyserini), or iKAT's passage JSONL
/// (<c>doc_id</c>, <c>passage_id</c>, <c>passage_text</c>), whose id becomes <c>doc_id:passage_id</c>
/// as in the iKAT qrels.
/// </summary>
public static class PassageFile
{
    public static IEnumerable<TextRecord> Read(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        if (!TextRecordFile.LooksLikeJsonl(path))
            return TextRecordFile.ReadTsv(path);
        return IsIkatPassageFile(path) ? ReadIkatJsonl(path) : TextRecordFile.ReadJsonl(path);
    }

    /// <summary>Loads only the passages whose ids are wanted (e.g. CAsT canonical results from a multi-gigabyte collection).</summary>
    public static Dictionary<string, string> Select(string path, IReadOnlySet<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in Read(path))
        {
            if (ids.Contains(record.Id))
                found[record.Id] = record.Text;
        }
        return found;
    }

    private static bool IsIkatPassageFile(string path)
    {
        var first = File.ReadLines(path).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
        try
        {
            using var doc = JsonDocument.Parse(first ?? "{}");
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("passage_id", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IEnumerable<TextRecord> ReadIkatJsonl(string path) =>
        JsonLines.Read(path, (root, lineNo) => ParseRecord(root, path, lineNo));

    private static TextRecord ParseRecord(JsonElement root, string path, long lineNo)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, lineNo, "expected a JSON object");
        var docId = TopicsJson.OptionalString(root, "doc_id") ?? throw new DataFormatException(path, lineNo, "missing \"doc_id\"");
        var passageId = TopicsJson.OptionalString(root, "passage_id") ?? throw new DataFormatException(path, lineNo, "missing \"passage_id\"");
        var text = TopicsJson.OptionalString(root, "passage_text") ?? throw new DataFormatException(path, lineNo, "missing \"passage_text\"");
        return new TextRecord($"{docId}:{passageId}", text);
    }
}
