using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Disco.Core.IO;

namespace Disco.Core.Runs;

/// <summary>
/// Relevance judgments: for each query (in the order first seen) its judged documents and grades.
/// Read and written as TREC qrels (<c>qid 0 docid rel</c>) or SPLADE's JSON (<c>{qid: {docid: rel}}</c>);
/// negative grades mean "in the pool but unjudged", as in trec_eval. A document judged twice for
/// one query is an error, as in trec_eval. Writers keep the order, so converted judgments pass
/// through unchanged.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "The domain's own name; the map is a view for the evaluator.")]
public sealed class Qrels : IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>
{
    // Dictionaries keep insertion order while nothing is removed; nothing ever is.
    private readonly Dictionary<string, Dictionary<string, int>> _byQuery;

    private Qrels(Dictionary<string, Dictionary<string, int>> byQuery) => _byQuery = byQuery;

    /// <summary>Judgments from entries, in order; a pair judged twice is an error.</summary>
    public static Qrels FromEntries(IEnumerable<QrelEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var byQuery = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!Add(byQuery, e.QueryId, e.DocId, e.Relevance))
                throw new DiscoException(JudgedTwice(e.QueryId, e.DocId));
        }
        return new Qrels(byQuery);
    }

    public int Count => _byQuery.Count;

    public IReadOnlyDictionary<string, int> this[string queryId] => _byQuery[queryId];

    public IEnumerable<string> Keys => _byQuery.Keys;

    public IEnumerable<IReadOnlyDictionary<string, int>> Values => _byQuery.Values;

    /// <summary>Number of judgments over all queries.</summary>
    public long JudgmentCount => _byQuery.Values.Sum(d => (long)d.Count);

    /// <summary>Every judgment, in order.</summary>
    public IEnumerable<QrelEntry> Entries => _byQuery.SelectMany(q => q.Value.Select(d => new QrelEntry(q.Key, d.Key, d.Value)));

    public bool ContainsKey(string key) => _byQuery.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyDictionary<string, int> value)
    {
        var found = _byQuery.TryGetValue(key, out var docs);
        value = docs;
        return found;
    }

    public IEnumerator<KeyValuePair<string, IReadOnlyDictionary<string, int>>> GetEnumerator()
    {
        foreach (var (qid, docs) in _byQuery)
            yield return new KeyValuePair<string, IReadOnlyDictionary<string, int>>(qid, docs);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Reads qrels, TREC or JSON (told apart by the first non-blank character).</summary>
    public static Qrels Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return NestedJsonFile.LooksLikeJson(path) ? ReadJson(path) : ReadTrec(path);
    }

    /// <summary>Reads TREC qrels (<c>qid iteration docid relevance</c>); blank lines and '#' comments are skipped.</summary>
    public static Qrels ReadTrec(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var byQuery = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        using var reader = new TrecLineReader(path);
        while (reader.MoveNext())
        {
            if (reader.FieldCount != 4)
                throw reader.Error($"expected 4 fields 'qid iteration docid relevance', found {reader.FieldCount}");
            var qid = reader.QueryId(0);
            var rel = reader.Int(3, "relevance");
            var doc = reader.FieldString(2);
            if (!Add(byQuery, qid, doc, rel))
                throw reader.Error($"{JudgedTwice(qid, doc)} (trec_eval rejects duplicate judgements)");
        }
        return new Qrels(byQuery);
    }

    /// <summary>Reads SPLADE's JSON qrels <c>{qid: {docid: rel}}</c>.</summary>
    public static Qrels ReadJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new Qrels(NestedJsonFile.Read(path, "relevance", ParseGrade));
    }

    /// <summary>Writes the judgments atomically in <see cref="RunFormats.ForPath"/>'s format.</summary>
    public void Write(string path, RunFormat? format = null)
    {
        if (RunFormats.ForPath(path, format) == RunFormat.Json)
            AtomicFile.Write(path, WriteJson);
        else
            AtomicFile.WriteText(path, WriteTrec);
    }

    public void WriteTrec(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (qid, docs) in _byQuery)
        {
            foreach (var (doc, rel) in docs)
            {
                writer.Write(qid);
                writer.Write(" 0 ");
                writer.Write(doc);
                writer.Write(' ');
                writer.Write(rel.ToString(CultureInfo.InvariantCulture));
                writer.Write('\n');
            }
        }
    }

    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        foreach (var (qid, docs) in _byQuery)
        {
            w.WriteStartObject(qid);
            foreach (var (doc, rel) in docs)
                w.WriteNumber(doc, rel);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static bool Add(Dictionary<string, Dictionary<string, int>> byQuery, string qid, string doc, int grade)
    {
        if (!byQuery.TryGetValue(qid, out var docs))
        {
            docs = new Dictionary<string, int>(StringComparer.Ordinal);
            byQuery.Add(qid, docs);
        }
        return docs.TryAdd(doc, grade);
    }

    private static string JudgedTwice(string qid, string doc) => $"query '{qid}': document '{doc}' is judged twice";

    private static int ParseGrade(ref Utf8JsonReader reader, Func<string, DataFormatException> error)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
            throw error($"relevance {NestedJsonFile.Describe(ref reader)} is not an integer");
        return value;
    }
}
