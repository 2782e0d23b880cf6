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
    /// <summary>
    /// Reads the vectors of a file (strict UTF-8, one object per line). <paramref name="uniqueIds"/>
    /// refuses an id seen before (queries); document ids are checked where an index is built.
    /// </summary>
    public static IEnumerable<TermVector> Read(string path, bool uniqueIds = false)
    {
        var unique = uniqueIds ? new UniqueIds(path, "vector") : null;
        foreach (var (line, lineNo) in Utf8Lines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var vector = ParseLine(line, path, lineNo);
            unique?.Add(vector.Id, lineNo);
            yield return vector;
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
            var seenTerms = new HashSet<string>(StringComparer.Ordinal);
            Expect(ref reader, JsonTokenType.StartObject, path, lineNo);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if ((name == "id" && id is not null) || (name == "vector" && seenVector))
                    throw new DataFormatException(path, lineNo, $"\"{name}\" appears twice");
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
                        var weight = reader.GetSingle();
                        if (!float.IsFinite(weight))
                            throw new DataFormatException(path, lineNo, $"weight of \"{term}\" is not a finite float ({Encoding.UTF8.GetString(reader.ValueSpan)})");
                        if (!seenTerms.Add(term))
                            throw new DataFormatException(path, lineNo, $"token \"{term}\" appears twice in \"vector\"");
                        terms.Add(term);
                        weights.Add(weight);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject)
                throw new DataFormatException(path, lineNo, $"expected a member name or '}}', found {reader.TokenType}");
            // One object per line: anything after it (a second object) is refused, not ignored.
            if (reader.Read())
                throw new DataFormatException(path, lineNo, "unexpected content after the object (one object per line)");
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
