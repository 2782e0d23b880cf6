using System.Text.Json;
using Disco.Core.Vectors;

namespace Disco.Cli.Commands;

/// <summary>The kinds of query files `disco search` and `disco index stats` accept.</summary>
internal static class QueryInput
{
    /// <summary>True when the file is a vectors JSONL (its first record has a "vector" member).</summary>
    public static bool IsVectorFile(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("vector", out _);
            }
            catch (JsonException)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Reads pre-encoded query vectors; text queries need a model (<c>--model</c>).</summary>
    public static List<TermVector> ReadVectors(string path)
    {
        if (!File.Exists(path))
            throw new Core.DiscoException($"{path}: file not found");
        if (!IsVectorFile(path))
            throw new UsageException($"{path}: queries are text or conversations, not vectors; encoding them needs --model DIR (or give a vectors JSONL from 'disco encode')");
        return [.. VectorFile.Read(path)];
    }
}
