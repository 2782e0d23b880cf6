using System.Text.Encodings.Web;
using System.Text.Json;
using Disco.Core.IO;

namespace Disco.Core.Conversations;

/// <summary>
/// Conversations JSONL (docs/formats.md, "conversations", version 1):
/// <c>{"id": ..., "turns": [{"question": ..., "answer": ...}, ...], "rewrite"?: ..., "context"?: [...]}</c>.
/// </summary>
public static class ConversationFile
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEnumerable<Conversation> Read(string path) =>
        JsonLines.Read(path, (root, lineNo) => ParseRoot(root, path, lineNo));

    public static Conversation Parse(string line, string path, long lineNo)
    {
        using var doc = JsonLines.ParseLine(line, path, lineNo);
        return ParseRoot(doc.RootElement, path, lineNo);
    }

    private static Conversation ParseRoot(JsonElement root, string path, long lineNo)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, lineNo, "expected a JSON object");
        if (!root.TryGetProperty("id", out var idEl))
            throw new DataFormatException(path, lineNo, "missing \"id\"");
        var id = idEl.ValueKind == JsonValueKind.String ? idEl.GetString()! : idEl.GetRawText();
        if (!root.TryGetProperty("turns", out var turnsEl) || turnsEl.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(path, lineNo, "missing \"turns\" array");
        var turns = new List<Turn>();
        foreach (var t in turnsEl.EnumerateArray())
        {
            if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("question", out var q) || q.ValueKind != JsonValueKind.String)
                throw new DataFormatException(path, lineNo, $"turn {turns.Count + 1} has no \"question\" string");
            string? answer = t.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            turns.Add(new Turn(q.GetString()!, answer));
        }
        if (turns.Count == 0)
            throw new DataFormatException(path, lineNo, "\"turns\" is empty");
        string? rewrite = root.TryGetProperty("rewrite", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        List<string>? context = null;
        if (root.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Array)
            context = [.. c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        return new Conversation(id, turns, rewrite, context);
    }

    public static void Write(string path, IEnumerable<Conversation> conversations)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, WriterOptions);
            foreach (var c in conversations)
            {
                WriteOne(writer, c);
                writer.Flush();
                writer.Reset();
                stream.WriteByte((byte)'\n');
            }
        });
    }

    private static void WriteOne(Utf8JsonWriter w, Conversation c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteStartArray("turns");
        foreach (var t in c.Turns)
        {
            w.WriteStartObject();
            w.WriteString("question", t.Question);
            if (t.Answer is not null)
                w.WriteString("answer", t.Answer);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (c.Rewrite is not null)
            w.WriteString("rewrite", c.Rewrite);
        if (c.Context is { Count: > 0 })
        {
            w.WriteStartArray("context");
            foreach (var s in c.Context)
                w.WriteStringValue(s);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
