using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Evaluation;

/// <summary>
/// Relevance judgements: TREC qrels (<c>qid 0 docid rel</c>) or SPLADE's JSON (<c>{qid: {docid: rel}}</c>).
/// Negative grades mean "in the pool but unjudged", as in trec_eval.
/// </summary>
public static class QrelsFile
{
    /// <summary>Reads qrels, detecting the format; qid → docid → relevance grade.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return NestedJsonFile.LooksLikeJson(path) ? ReadJson(path) : ReadTrec(path);
    }

    /// <summary>Reads TREC qrels. A document judged twice for one query is an error, as in trec_eval.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ReadTrec(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var result = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        using var reader = new TrecLineReader(path);
        while (reader.MoveNext())
        {
            if (reader.FieldCount != 4)
                throw reader.Error($"expected 4 fields 'qid iteration docid relevance', found {reader.FieldCount}");
            var qid = reader.QueryId(0);
            if (!result.TryGetValue(qid, out var docs))
            {
                docs = new Dictionary<string, int>(StringComparer.Ordinal);
                result.Add(qid, docs);
            }
            var rel = reader.Int(3, "relevance");
            var doc = reader.FieldString(2);
            if (!((Dictionary<string, int>)docs).TryAdd(doc, rel))
                throw reader.Error($"query '{qid}': document '{doc}' is judged twice (trec_eval rejects duplicate judgements)");
        }
        return result;
    }

    /// <summary>Reads SPLADE's JSON qrels <c>{qid: {docid: rel}}</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ReadJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var raw = NestedJsonFile.Read(path, "relevance", ParseGrade);
        var result = new Dictionary<string, IReadOnlyDictionary<string, int>>(raw.Count, StringComparer.Ordinal);
        foreach (var (qid, docs) in raw)
            result.Add(qid, docs);
        return result;
    }

    /// <summary>Writes TREC qrels (<c>qid 0 docid rel</c>), queries and documents in ordinal order, atomically.</summary>
    public static void WriteTrec(string path, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(qrels);
        AtomicFile.WriteText(path, w =>
        {
            foreach (var (qid, docs) in Ordered(qrels))
            {
                foreach (var (doc, rel) in Ordered(docs))
                {
                    w.Write(qid);
                    w.Write(" 0 ");
                    w.Write(doc);
                    w.Write(' ');
                    w.Write(rel.ToString(CultureInfo.InvariantCulture));
                    w.Write('\n');
                }
            }
        });
    }

    /// <summary>Writes SPLADE's JSON qrels <c>{qid: {docid: rel}}</c>, in ordinal order, atomically.</summary>
    public static void WriteJson(string path, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(qrels);
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            w.WriteStartObject();
            foreach (var (qid, docs) in Ordered(qrels))
            {
                w.WriteStartObject(qid);
                foreach (var (doc, rel) in Ordered(docs))
                    w.WriteNumber(doc, rel);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    private static IEnumerable<KeyValuePair<string, T>> Ordered<T>(IReadOnlyDictionary<string, T> map) =>
        map.OrderBy(p => p.Key, StringComparer.Ordinal);

    private static int ParseGrade(ref Utf8JsonReader reader, Func<string, DataFormatException> error)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
            throw error($"relevance {NestedJsonFile.Describe(ref reader)} is not an integer");
        return value;
    }
}
