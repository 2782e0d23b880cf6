using System.Text.Encodings.Web;
using System.Text.Json;

namespace Disco.Evaluation;

/// <summary>
/// Machine-readable output of <c>disco evaluate --format json</c> (documented in docs/evaluation.md, version 1).
/// </summary>
public static class EvaluationJson
{
    /// <summary>Version of the JSON layout.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes one run's summary and, when asked, per-query values.</summary>
    public static void Write(Stream stream, string runName, EvaluationResult result, EvaluationOptions options, bool perQuery)
    {
        ArgumentNullException.ThrowIfNull(result);
        WriteDocument(stream, options, w => WriteRun(w, runName, result, perQuery));
    }

    /// <summary>Writes several runs, the baseline first, with p-values of each later run against it.</summary>
    public static void Write(Stream stream, RunComparison comparison, EvaluationOptions options, bool perQuery)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        WriteDocument(stream, options, w => WriteComparison(w, comparison, perQuery));
    }

    private static void WriteComparison(Utf8JsonWriter w, RunComparison comparison, bool perQuery)
    {
        w.WriteString("baseline", comparison.RunNames[0]);
        w.WriteStartArray("runs");
        for (var r = 0; r < comparison.RunNames.Count; r++)
        {
            w.WriteStartObject();
            WriteRun(w, comparison.RunNames[r], comparison.Results[r], perQuery);
            if (r > 0)
            {
                w.WriteNumber("paired_queries", comparison.PairedQueries[r]);
                w.WriteStartObject("tests");
                foreach (var row in comparison.Rows.Where(x => !x.IsCount))
                {
                    w.WriteStartObject(row.ValueName);
                    WriteNumberOrNull(w, "paired_t", row.TTestP[r]);
                    WriteNumberOrNull(w, "randomization", row.RandomizationP[r]);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The envelope shared by both layouts: version and settings, then the body, then a newline.</summary>
    private static void WriteDocument(Stream stream, EvaluationOptions options, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", FormatVersion);
            w.WriteNumber("relevance_level", options.RelevanceLevel);
            w.WriteBoolean("all_qrels_queries", options.AllQrelsQueries);
            body(w);
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    private static void WriteRun(Utf8JsonWriter w, string runName, EvaluationResult result, bool perQuery)
    {
        w.WriteString("run", runName);
        w.WriteNumber("ignored_run_queries", result.IgnoredRunQueries);
        w.WriteStartObject("all");
        WriteValues(w, result, result.Summary, includeNumQ: true);
        w.WriteEndObject();
        if (!perQuery)
            return;
        w.WriteStartObject("queries");
        foreach (var q in result.Queries)
        {
            w.WriteStartObject(q.QueryId);
            WriteValues(w, result, q.Values, includeNumQ: false);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteValues(Utf8JsonWriter w, EvaluationResult result, IReadOnlyList<double> values, bool includeNumQ)
    {
        for (var j = 0; j < values.Count; j++)
        {
            var name = result.ValueNames[j];
            if (!includeNumQ && name == "num_q")
                continue;
            if (result.IsCount[j])
                w.WriteNumber(name, (long)values[j]);
            else
                w.WriteNumber(name, values[j]);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value))
            w.WriteNull(name);
        else
            w.WriteNumber(name, value);
    }
}
