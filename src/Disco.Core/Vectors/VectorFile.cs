using System.Text;
using System.Text.Json;
using Disco.Core.IO;

namespace Disco.Core.Vectors;

/// <summary>
/// Vectors JSONL (docs/formats.md, "vectors", version 1): one line per text,
/// <c>{"id": "...", "vector": {"token": weight, ...}}</c>, weights as shortest round-trip floats.
/// </summary>
public static class VectorFile
{
    public static IEnumerable<TermVector> Read(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        long lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            yield return ParseLine(line, path, lineNo);
        }
    }

    public static TermVector ParseLine(string line, string path, long lineNo)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            string? id = null;
            var terms = new List<string>();
            var weights = new List<float>();
            var seenVector = false;
            Expect(ref reader, JsonTokenType.StartObject, path, lineNo);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "id")
                {
                    id = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => throw new DataFormatException(path, lineNo, "\"id\" must be a string or a number"),
                    };
                }
                else if (name == "vector")
                {
                    seenVector = true;
                    if (reader.TokenType != JsonTokenType.StartObject)
                        throw new DataFormatException(path, lineNo, "\"vector\" must be an object of token: weight");
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var term = reader.GetString()!;
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.Number)
                            throw new DataFormatException(path, lineNo, $"weight of \"{term}\" is not a number");
                        terms.Add(term);
                        weights.Add(reader.GetSingle());
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            if (id is null)
                throw new DataFormatException(path, lineNo, "missing \"id\"");
            if (!seenVector)
                throw new DataFormatException(path, lineNo, "missing \"vector\"");
            return new TermVector(id, [.. terms], [.. weights]);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, lineNo, $"invalid JSON: {e.Message}");
        }
    }

    public static void WriteLine(Utf8JsonWriter writer, TermVector vector)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(vector);
        writer.WriteStartObject();
        writer.WriteString("id", vector.Id);
        writer.WriteStartObject("vector");
        for (var i = 0; i < vector.Terms.Length; i++)
            writer.WriteNumber(vector.Terms[i], vector.Weights[i]);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        writer.Reset();
    }

    /// <summary>Writes all vectors atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<TermVector> vectors)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
            foreach (var v in vectors)
            {
                WriteLine(writer, v);
                stream.WriteByte((byte)'\n');
            }
        });
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, long lineNo)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw new DataFormatException(path, lineNo, $"expected a JSON {type}");
    }
}
