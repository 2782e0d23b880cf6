using System.Text;
using System.Text.Json;

namespace Disco.Core.Runs;

/// <summary>
/// SPLADE's JSON layout for runs and qrels: <c>{qid: {docid: number}}</c>. Read with a forward-only
/// reader; errors name the line of the offending token.
/// </summary>
internal static class NestedJsonFile
{
    public delegate T ValueParser<T>(ref Utf8JsonReader reader, Func<string, DataFormatException> error);

    /// <summary>True when the first non-blank character of the file is '{'.</summary>
    public static bool LooksLikeJson(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            Span<byte> head = stackalloc byte[4096];
            var read = stream.Read(head);
            var span = head[..read];
            if (span.StartsWith("\uFEFF"u8))
                span = span[3..];
            foreach (var b in span)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    continue;
                return b == (byte)'{';
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiscoException($"{path}: cannot open ({e.Message})");
        }
    }

    public static Dictionary<string, Dictionary<string, T>> Read<T>(string path, string valueName, ValueParser<T> parse)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiscoException($"{path}: cannot read ({e.Message})");
        }
        var skip = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var data = bytes.AsSpan(skip);
        var result = new Dictionary<string, Dictionary<string, T>>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        DataFormatException Error(string problem, long offset) => new(path, LineOf(bytes, skip + offset), problem);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "expected '{' opening the file", Error);
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                var qid = reader.GetString()!;
                if (result.ContainsKey(qid))
                    throw Error($"query '{qid}' appears twice", reader.TokenStartIndex);
                Expect(ref reader, JsonTokenType.StartObject, $"query '{qid}': expected an object {{docid: {valueName}}}", Error);
                var docs = new Dictionary<string, T>(StringComparer.Ordinal);
                while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var doc = reader.GetString()!;
                    var at = reader.TokenStartIndex;
                    if (docs.ContainsKey(doc))
                        throw Error($"query '{qid}': duplicate document '{doc}' (trec_eval rejects duplicate documents)", at);
                    Next(ref reader);
                    var start = reader.TokenStartIndex;
                    docs.Add(doc, parse(ref reader, p => Error($"query '{qid}', document '{doc}': {p}", start)));
                }
                if (reader.TokenType != JsonTokenType.EndObject)
                    throw Error("expected a document id or '}'", reader.TokenStartIndex);
                result.Add(qid, docs);
            }
            if (reader.TokenType != JsonTokenType.EndObject)
                throw Error("expected a query id or '}'", reader.TokenStartIndex);
            if (Next(ref reader))
                throw Error("unexpected content after the closing '}'", reader.TokenStartIndex);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message}");
        }
        return result;
    }

    private static bool Next(ref Utf8JsonReader reader) => reader.Read();

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string problem, Func<string, long, DataFormatException> error)
    {
        if (!reader.Read() || reader.TokenType != type)
            throw error(problem, reader.TokenStartIndex);
    }

    private static long LineOf(ReadOnlySpan<byte> data, long offset)
    {
        var end = (int)Math.Min(offset, data.Length);
        return data[..end].Count((byte)'\n') + 1;
    }

    internal static string Describe(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.String => $"\"{reader.GetString()}\"",
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => reader.TokenType.ToString().ToLowerInvariant(),
        };
}
