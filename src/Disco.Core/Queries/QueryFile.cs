using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Texts;
using Disco.Core.Vectors;

namespace Disco.Core.Queries;

/// <summary>
/// The one place that tells query files apart and reads them: vectors JSONL, conversations JSONL,
/// or texts (TSV or JSONL). The kind comes from the first non-blank line, parsed once.
/// </summary>
public static class QueryFile
{
    /// <summary>The kind of <paramref name="path"/>: a JSON object with "vector" or "turns" decides; anything else is texts.</summary>
    public static QueryFileKind Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = DataPaths.Resolve(path);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    return QueryFileKind.Texts;
                if (doc.RootElement.TryGetProperty("vector", out _))
                    return QueryFileKind.Vectors;
                return doc.RootElement.TryGetProperty("turns", out _) ? QueryFileKind.Conversations : QueryFileKind.Texts;
            }
            catch (JsonException)
            {
                return QueryFileKind.Texts;
            }
        }
        return QueryFileKind.Texts;
    }

    /// <summary>
    /// Reads every query of the file, of the kind <see cref="Detect"/> finds; vectors refuse a query
    /// id seen before; a text file's repeated id keeps its first line (see <see cref="DistinctTexts"/>).
    /// With <paramref name="vocabulary"/> (the searched index's terms) vector tokens are resolved to
    /// term ids as they are parsed.
    /// </summary>
    public static IReadOnlyList<Query> Read(string path, TermTable? vocabulary = null) => Detect(path) switch
    {
        QueryFileKind.Vectors => [.. VectorFile.Read(DataPaths.Resolve(path), uniqueIds: true, vocabulary).Select(Query.FromTerms)],
        QueryFileKind.Conversations => [.. ConversationFile.Read(DataPaths.Resolve(path)).Select(Query.FromConversation)],
        _ => [.. DistinctTexts(path).Select(r => Query.FromText(r.Id, r.Text))],
    };

    /// <summary>
    /// Text records, a repeated id read once (its first line). SPLADE's toy <c>dev_queries</c> lists
    /// two ids twice (once with another text); SPLADE retrieves both lines and merges their results
    /// under the one id. Deviation, on purpose: a run holds one ranking per query, so disco keeps
    /// the first line's query.
    /// </summary>
    private static IEnumerable<TextRecord> DistinctTexts(string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in TextRecordFile.Read(path))
        {
            if (!seen.Add(record.Id))
                continue;
            yield return record;
        }
    }

    /// <summary>
    /// Reads query texts as an encoder sees them: texts as they are, conversations flattened with
    /// <paramref name="flattening"/>. A vectors file has no texts and is an error.
    /// </summary>
    public static IEnumerable<TextRecord> ReadTexts(string path, FlatteningOptions? flattening = null) => Detect(path) switch
    {
        QueryFileKind.Vectors => throw new DiscoException($"{path}: holds encoded vectors, not texts or conversations"),
        QueryFileKind.Conversations => ConversationFile.Read(DataPaths.Resolve(path)).Select(c => new TextRecord(c.Id, ConversationFlattener.Flatten(c, flattening))),
        _ => DistinctTexts(path),
    };
}
