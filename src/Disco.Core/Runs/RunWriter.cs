using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Disco.Core.IO;

namespace Disco.Core.Runs;

/// <summary>
/// Writes runs as TREC (<c>qid Q0 docid rank score tag</c>) or SPLADE's JSON
/// (<c>{qid: {docid: score}}</c>). Hits are written in the order given, which callers keep as
/// score descending with ties by document id. Files are written atomically.
/// </summary>
public static class RunWriter
{
    public static void WriteTrec(string path, IEnumerable<KeyValuePair<string, IReadOnlyList<ScoredDocument>>> run, string tag = "disco")
    {
        AtomicFile.WriteText(path, w => WriteTrec(w, run, tag));
    }

    public static void WriteTrec(TextWriter writer, IEnumerable<KeyValuePair<string, IReadOnlyList<ScoredDocument>>> run, string tag = "disco")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(run);
        foreach (var (qid, hits) in run)
        {
            for (var i = 0; i < hits.Count; i++)
            {
                writer.Write(qid);
                writer.Write(" Q0 ");
                writer.Write(hits[i].DocId);
                writer.Write(' ');
                writer.Write((i + 1).ToString(CultureInfo.InvariantCulture));
                writer.Write(' ');
                writer.Write(hits[i].Score.ToString("R", CultureInfo.InvariantCulture));
                writer.Write(' ');
                writer.Write(tag);
                writer.Write('\n');
            }
        }
    }

    public static void WriteJson(string path, IEnumerable<KeyValuePair<string, IReadOnlyList<ScoredDocument>>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            w.WriteStartObject();
            foreach (var (qid, hits) in run)
            {
                w.WriteStartObject(qid);
                foreach (var h in hits)
                    w.WriteNumber(h.DocId, h.Score);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }
}
