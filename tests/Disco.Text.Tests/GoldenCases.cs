using System.Text.Json;
using Disco.Core.Conversations;
using Disco.TestSupport;

namespace Disco.Text.Tests;

/// <summary>The golden files made by the reference BERT implementation (see shared/fixtures/README.md).</summary>
internal static class GoldenCases
{
    private static readonly Lazy<WordPieceTokenizer> LazyTokenizer = new(() => WordPieceTokenizer.FromDirectory(Fixtures.TinySplade));

    /// <summary>The bert-base-uncased tokenizer of the tiny-splade fixture.</summary>
    public static WordPieceTokenizer Tokenizer => LazyTokenizer.Value;

    public static IReadOnlyList<JsonElement> Lines(string name) =>
        [.. File.ReadLines(Fixtures.Golden(name)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public static int[] Ids(JsonElement line) => [.. line.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())];

    public static Conversation ToConversation(JsonElement line)
    {
        var turns = line.GetProperty("turns").EnumerateArray()
            .Select(t => new Turn(
                t.GetProperty("question").GetString()!,
                t.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null))
            .ToList();
        return new Conversation(line.GetProperty("id").GetString()!, turns);
    }
}
