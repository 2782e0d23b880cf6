using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Disco.Core.IO;
using Disco.Core.Vectors;

namespace Disco.Interop;

/// <summary>
/// Anserini's inputs for impact indexes, as naver/splade's <c>create_anserini</c> writes them:
/// documents as JsonVectorCollection lines <c>{"id", "contents", "vector": {token: int}}</c> and
/// queries as TSV <c>id&lt;TAB&gt;token token ...</c> with each token repeated by its integer
/// weight. Integer weights are <see cref="IntegerImpacts.Quantize"/> (round(w × scale)); terms
/// that round to 0 are left out. Deviation from create_anserini: a document with no term left is
/// written with an empty vector rather than the placeholder token <c>[unused993]</c>, which would
/// make it match queries containing that token.
/// </summary>
public static class AnseriniVectors
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes JsonVectorCollection documents (JSONL) atomically.</summary>
    public static void WriteDocuments(string path, IEnumerable<(TermVector Vector, string Contents)> documents, float scale = IntegerImpacts.DefaultScale)
    {
        ArgumentNullException.ThrowIfNull(documents);
        IntegerImpacts.CheckScale(scale);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, JsonOptions);
            foreach (var (vector, contents) in documents)
            {
                WriteDocument(writer, vector, contents, scale);
                writer.Flush();
                writer.Reset();
                stream.WriteByte((byte)'\n');
            }
        });
    }

    /// <summary>Writes queries as Anserini's TSV (tokens repeated by their integer weight) atomically.</summary>
    public static void WriteQueries(string path, IEnumerable<TermVector> queries, float scale = IntegerImpacts.DefaultScale)
    {
        ArgumentNullException.ThrowIfNull(queries);
        IntegerImpacts.CheckScale(scale);
        AtomicFile.WriteText(path, writer =>
        {
            foreach (var q in queries)
                writer.Write(QueryLine(q, scale) + "\n");
        });
    }

    public static void WriteDocument(Utf8JsonWriter writer, TermVector vector, string contents, float scale)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(vector);
        writer.WriteStartObject();
        writer.WriteString("id", vector.Id);
        writer.WriteString("contents", contents);
        writer.WriteStartObject("vector");
        foreach (var (term, weight) in Integers(vector, scale))
            writer.WriteNumber(term, weight);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>One query line: <c>id&lt;TAB&gt;</c> then each token repeated by its integer weight, space-separated.</summary>
    public static string QueryLine(TermVector query, float scale)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Id.Contains('\t', StringComparison.Ordinal) || query.Id.Contains('\n', StringComparison.Ordinal))
            throw new Core.DiscoException($"query id \"{query.Id}\" contains a tab or a newline, which Anserini's TSV cannot hold");
        var line = new StringBuilder(query.Id).Append('\t');
        var first = true;
        foreach (var (term, weight) in Integers(query, scale))
        {
            for (var i = 0; i < weight; i++)
            {
                if (!first)
                    line.Append(' ');
                line.Append(term);
                first = false;
            }
        }
        return line.ToString();
    }

    /// <summary>The vector's terms with integer weights, repeated terms summed first, zeros dropped, in input order.</summary>
    private static List<(string Term, int Weight)> Integers(TermVector vector, float scale)
    {
        var merged = new Dictionary<string, float>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < vector.Terms.Length; i++)
        {
            if (!merged.TryAdd(vector.Terms[i], vector.Weights[i]))
                merged[vector.Terms[i]] += vector.Weights[i];
            else
                order.Add(vector.Terms[i]);
        }
        var result = new List<(string, int)>(order.Count);
        foreach (var term in order)
        {
            var q = IntegerImpacts.Quantize(merged[term], scale);
            if (q > 0)
                result.Add((term, q));
        }
        return result;
    }
}
