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
    /// With <paramref name="vocabulary"/> (an index's <see cref="TermTable"/>) each token is resolved
    /// to its term id as it is parsed (<see cref="TermVector.TermIds"/>, -1 for a token not there).
    /// </summary>
    public static IEnumerable<TermVector> Read(string path, bool uniqueIds = false, TermTable? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var (vector, _) in ReadLines(path, () => OpenFile(path), uniqueIds, vocabulary))
            yield return vector;
    }

    /// <summary>
    /// The vectors of the stream <paramref name="open"/> opens (e.g. decompressing <paramref name="path"/>),
    /// with their 1-based lines, read as <see cref="Read(string, bool, TermTable?)"/> does: from the
    /// UTF-8 bytes through pooled buffers (<see cref="Utf8LineReader"/>), blank lines skipped.
    /// </summary>
    public static IEnumerable<(TermVector Vector, long Line)> ReadLines(string path, Func<Stream> open, bool uniqueIds = false, TermTable? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(open);
        var unique = uniqueIds ? new UniqueIds(path, "vector") : null;
        var parser = new VectorLineParser(vocabulary ?? new TermTable());
        using var lines = new Utf8LineReader(path, open());
        while (lines.MoveNext(out var line))
        {
            if (IsBlank(line))
                continue;
            var vector = parser.Parse(line, path, lines.LineNumber);
            unique?.Add(vector.Id, lines.LineNumber);
            yield return (vector, lines.LineNumber);
        }
    }

    /// <summary>Parses one line already decoded (a JSON array file's element).</summary>
    public static TermVector ParseLine(string line, string path, long lineNo)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new VectorLineParser(new TermTable()).Parse(Encoding.UTF8.GetBytes(line), path, lineNo);
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

    private static FileStream OpenFile(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>Blank as <see cref="string.IsNullOrWhiteSpace"/> sees it (ASCII checked on the bytes; other whitespace decoded).</summary>
    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOfAnyExcept(" \t\v\f"u8);
        return first < 0 || (line[first] >= 0x80 && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line)));
    }
}
