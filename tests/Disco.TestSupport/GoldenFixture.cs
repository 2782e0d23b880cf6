using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Core.Texts;
using Xunit;

namespace Disco.TestSupport;

/// <summary>The golden documents, conversations and rankings made by the independent PyTorch reference (fixtures/README.md).</summary>
public static class GoldenFixture
{
    public static IReadOnlyList<TextRecord> Documents { get; } = [.. Lines("golden_documents.jsonl").Select(e => new TextRecord(e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!))];

    public static IReadOnlyList<Conversation> Conversations { get; } = [.. ConversationFile.Read(Fixtures.Golden("golden_conversations.jsonl"))];

    /// <summary>The reference flattening of each conversation.</summary>
    public static IReadOnlyDictionary<string, string> Flattened { get; } = Lines("golden_conversations.jsonl").ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("flattened").GetString()!);

    /// <summary>query → top 10 (doc, score).</summary>
    public static IReadOnlyDictionary<string, (string Doc, double Score)[]> Rankings { get; } = Lines("golden_rankings.jsonl").ToDictionary(
        e => e.GetProperty("query").GetString()!,
        e => e.GetProperty("top10").EnumerateArray().Select(h => (h.GetProperty("doc").GetString()!, h.GetProperty("score").GetDouble())).ToArray());

    /// <summary>Asserts a ranking equals the golden one within the fixture tolerance (tied documents may swap).</summary>
    public static void AssertGolden(string query, IReadOnlyList<(string Doc, double Score)> actual)
    {
        var expected = Rankings[query];
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i].Score - actual[i].Score) < 1e-3 * Math.Max(1, Math.Abs(expected[i].Score)), $"{query} rank {i + 1}: {actual[i]} vs {expected[i]}");
            Assert.True(actual[i].Doc == expected[i].Doc || Math.Abs(expected.Single(e => e.Doc == actual[i].Doc).Score - expected[i].Score) < 1e-4, $"{query} rank {i + 1}: {actual[i].Doc} vs {expected[i].Doc}");
        }
    }

    private static IEnumerable<JsonElement> Lines(string name) =>
        File.ReadLines(Fixtures.Golden(name)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
