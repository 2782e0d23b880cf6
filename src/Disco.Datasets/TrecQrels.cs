using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Datasets;

/// <summary>
/// TREC qrels (<c>qid iter docid rel</c>, whitespace separated, as CAsT, iKAT and trec_eval use)
/// and SPLADE's qrels JSON (<c>{qid: {docid: rel}}</c>).
/// </summary>
/// <remarks>
/// Datasets keeps its own small reader and writer instead of referencing Disco.Evaluation: a
/// converter only passes judgments through (order and grades untouched), and the conversion tools
/// must not wait for, or be coupled to, the evaluator's internal representation.
/// </remarks>
public static class TrecQrels
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static IReadOnlyList<QrelEntry> Read(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        var entries = new List<QrelEntry>();
        long lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4)
                throw new DataFormatException(path, lineNo, $"expected 'qid iter docid relevance', found {parts.Length} fields");
            if (!int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rel))
                throw new DataFormatException(path, lineNo, $"relevance '{parts[3]}' is not an integer");
            entries.Add(new QrelEntry(parts[0], parts[2], rel));
        }
        return entries;
    }

    public static void WriteTrec(string path, IEnumerable<QrelEntry> qrels)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        AtomicFile.WriteText(path, w =>
        {
            foreach (var q in qrels)
                w.Write($"{q.QueryId} 0 {q.DocId} {q.Relevance.ToString(CultureInfo.InvariantCulture)}\n");
        });
    }

    /// <summary>Writes <c>{qid: {docid: rel}}</c> in first-seen order; a repeated pair keeps its last grade, as a Python dict would.</summary>
    public static void WriteJson(string path, IEnumerable<QrelEntry> qrels)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        var byQuery = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var q in qrels)
        {
            if (!byQuery.TryGetValue(q.QueryId, out var docs))
            {
                docs = new Dictionary<string, int>(StringComparer.Ordinal);
                byQuery[q.QueryId] = docs;
                order.Add(q.QueryId);
            }
            docs[q.DocId] = q.Relevance;
        }
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, WriterOptions);
            w.WriteStartObject();
            foreach (var qid in order)
            {
                w.WriteStartObject(qid);
                foreach (var (doc, rel) in byQuery[qid])
                    w.WriteNumber(doc, rel);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }
}
