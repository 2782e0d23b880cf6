using System.Text.Json;

namespace Disco.Evaluation;

/// <summary>
/// Reads retrieval runs: TREC (<c>qid Q0 docid rank score tag</c>) or SPLADE's JSON
/// (<c>{qid: {docid: score}}</c>, unsorted), told apart by the first non-blank character.
/// </summary>
public static class RunFile
{
    /// <summary>Reads a run, detecting the format; qid → docid → score. The rank column is ignored, as in trec_eval.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return NestedJsonFile.LooksLikeJson(path) ? ReadJson(path) : ReadTrec(path);
    }

    /// <summary>Reads a TREC run. Duplicate documents within a query are an error, as in trec_eval.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ReadTrec(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        using var reader = new TrecLineReader(path);
        Dictionary<string, double>? current = null;
        string? currentQid = null;
        while (reader.MoveNext())
        {
            if (reader.FieldCount != 6)
                throw reader.Error($"expected 6 fields 'qid Q0 docid rank score tag', found {reader.FieldCount}");
            var qid = reader.QueryId(0);
            if (!ReferenceEquals(qid, currentQid))
            {
                currentQid = qid;
                if (result.TryGetValue(qid, out var existing))
                {
                    current = (Dictionary<string, double>)existing;
                }
                else
                {
                    current = new Dictionary<string, double>(StringComparer.Ordinal);
                    result.Add(qid, current);
                }
            }
            var score = reader.Double(4, "score");
            var doc = reader.FieldString(2);
            if (!current!.TryAdd(doc, score))
                throw reader.Error($"query '{qid}': duplicate document '{doc}' (trec_eval rejects runs with duplicate documents)");
        }
        return result;
    }

    /// <summary>Reads SPLADE's JSON run <c>{qid: {docid: score}}</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ReadJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var raw = NestedJsonFile.Read(path, "score", ParseScore);
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>(raw.Count, StringComparer.Ordinal);
        foreach (var (qid, docs) in raw)
            result.Add(qid, docs);
        return result;
    }

    private static double ParseScore(ref Utf8JsonReader reader, Func<string, Disco.Core.DataFormatException> error)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || double.IsNaN(value))
            throw error($"score {NestedJsonFile.Describe(ref reader)} is not a number");
        return value;
    }
}
