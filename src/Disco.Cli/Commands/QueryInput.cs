using System.Diagnostics;
using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Text;

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

    /// <summary>
    /// Reads queries: vectors JSONL as they are; otherwise TSV/JSONL texts or conversations
    /// (flattened as the encoder does) encoded with the query encoder of <paramref name="modelDir"/>.
    /// </summary>
    public static List<TermVector> Read(string path, string? modelDir, SpladeEncoderOptions encoderOptions, FlatteningOptions flattening, out TimeSpan encodeTime)
    {
        encodeTime = TimeSpan.Zero;
        if (!File.Exists(path))
            throw new Core.DiscoException($"{path}: file not found");
        if (IsVectorFile(path))
            return [.. VectorFile.Read(path)];
        if (modelDir is null)
            return ReadVectors(path);
        var records = ConversationFile.IsConversationFile(path)
            ? [.. ConversationFile.Read(path).Select(c => new TextRecord(c.Id, ConversationFlattener.Flatten(c, flattening)))]
            : TextRecordFile.Read(path).ToList();
        using var encoder = SpladeEncoder.Load(Retrieval.ModelLocator.Resolve(modelDir, "main", query: true), encoderOptions);
        var clock = Stopwatch.StartNew();
        IReadOnlyList<SparseVector> vectors;
        using (var progress = new ConsoleProgress("encoding queries", records.Count))
            vectors = encoder.Encode([.. records.Select(r => r.Text)], progress);
        encodeTime = clock.Elapsed;
        return [.. records.Select((r, i) => ModelOptions.ToTermVector(r.Id, vectors[i], encoder.Tokenizer))];
    }
}
