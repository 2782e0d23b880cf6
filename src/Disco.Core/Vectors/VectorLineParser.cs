using System.Text;
using System.Text.Json;

namespace Disco.Core.Vectors;

/// <summary>
/// Parses vectors JSONL lines from their UTF-8 bytes (docs/formats.md, "vectors"), resolving each
/// token through a <see cref="TermTable"/> as it is read: no string per line or per token (a
/// token's string is the table's), and the lists behind a vector are reused from line to line.
/// One parser per reader: it is not thread-safe.
/// </summary>
internal sealed class VectorLineParser(TermTable table)
{
    private readonly List<string> _terms = [];
    private readonly List<int> _ids = [];
    private readonly List<float> _weights = [];
    private int[] _seen = [];
    private int _generation;
    private HashSet<string>? _unknown;
    private char[] _chars = new char[256];

    public TermTable Table => table;

    /// <summary>Parses one line (already strict UTF-8) into a vector; every problem is a <see cref="DataFormatException"/> at <paramref name="lineNo"/>.</summary>
    public TermVector Parse(ReadOnlySpan<byte> line, string path, long lineNo)
    {
        try
        {
            return ParseJson(line, path, lineNo);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, lineNo, $"invalid JSON: {e.Message}");
        }
    }

    private TermVector ParseJson(ReadOnlySpan<byte> line, string path, long lineNo)
    {
        var reader = new Utf8JsonReader(line);
        string? id = null;
        var seenVector = false;
        _terms.Clear();
        _ids.Clear();
        _weights.Clear();
        _unknown?.Clear();
        // A generation per line marks the term ids seen on it, so nothing is cleared per line.
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_seen);
            _generation = 1;
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new DataFormatException(path, lineNo, $"expected a JSON {JsonTokenType.StartObject}");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            var isVector = !isId && reader.ValueTextEquals("vector"u8);
            reader.Read();
            if ((isId && id is not null) || (isVector && seenVector))
                throw new DataFormatException(path, lineNo, $"\"{(isId ? "id" : "vector")}\" appears twice");
            if (isId)
            {
                id = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => throw new DataFormatException(path, lineNo, "\"id\" must be a string or a number"),
                };
            }
            else if (isVector)
            {
                seenVector = true;
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw new DataFormatException(path, lineNo, "\"vector\" must be an object of token: weight");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    ReadTerm(ref reader, path, lineNo);
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
        return new TermVector(id, [.. _terms], [.. _weights]) { TermIds = [.. _ids], Table = table };
    }

    /// <summary>One <c>"token": weight</c> member, the reader on its name.</summary>
    private void ReadTerm(ref Utf8JsonReader reader, string path, long lineNo)
    {
        var token = Token(ref reader);
        var termId = table.Intern(token);
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
            throw new DataFormatException(path, lineNo, $"weight of \"{token}\" is not a number");
        var weight = reader.GetSingle();
        if (!float.IsFinite(weight))
            throw new DataFormatException(path, lineNo, $"weight of \"{token}\" is not a finite float ({Encoding.UTF8.GetString(reader.ValueSpan)})");
        string term;
        if (termId >= 0)
        {
            if (termId >= _seen.Length)
                Array.Resize(ref _seen, Math.Max(termId + 1, Math.Max(1024, table.Count)));
            if (_seen[termId] == _generation)
                throw Twice(path, lineNo, table[termId]);
            _seen[termId] = _generation;
            term = table[termId];
        }
        else
        {
            // A token the (fixed) table does not hold: rare, so its string is built.
            term = token.ToString();
            if (!(_unknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(term))
                throw Twice(path, lineNo, term);
        }
        _terms.Add(term);
        _ids.Add(termId);
        _weights.Add(weight);
    }

    /// <summary>The current string token's characters (unescaped) in a reused buffer.</summary>
    private ReadOnlySpan<char> Token(ref Utf8JsonReader reader)
    {
        // UTF-16 never needs more code units than the (escaped) UTF-8 text has bytes.
        var bytes = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (_chars.Length < bytes)
            _chars = new char[Math.Max(bytes, _chars.Length * 2)];
        var written = reader.CopyString(_chars);
        return _chars.AsSpan(0, written);
    }

    private static DataFormatException Twice(string path, long lineNo, string term) => new(path, lineNo, $"token \"{term}\" appears twice in \"vector\"");
}
