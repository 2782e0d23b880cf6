using System.Text.Json;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

/// <summary>The golden files made by the independent PyTorch reference (fixtures/README.md).</summary>
public static class GoldenRecords
{
    public sealed record Document(string Id, string Text, int[] Ids, SparseVector Max, SparseVector Sum);

    public sealed record ConversationCase(string Id, string Flattened, int[] Ids, SparseVector Max, string Json);

    public sealed record Ranking(string Query, (string Doc, double Score)[] Top10);

    public static IReadOnlyList<Document> Documents { get; } = [.. Lines("golden_documents.jsonl").Select(e => new Document(
        e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!, Ids(e), Vector(e.GetProperty("max")), Vector(e.GetProperty("sum"))))];

    public static IReadOnlyList<ConversationCase> Conversations { get; } = [.. Lines("golden_conversations.jsonl").Select(e => new ConversationCase(
        e.GetProperty("id").GetString()!, e.GetProperty("flattened").GetString()!, Ids(e), Vector(e.GetProperty("max")), e.GetRawText()))];

    public static IReadOnlyList<Ranking> Rankings { get; } = [.. Lines("golden_rankings.jsonl").Select(e => new Ranking(
        e.GetProperty("query").GetString()!,
        [.. e.GetProperty("top10").EnumerateArray().Select(h => (h.GetProperty("doc").GetString()!, h.GetProperty("score").GetDouble()))]))];

    private static int[] Ids(JsonElement e) => [.. e.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32())];

    private static SparseVector Vector(JsonElement e) => new(
        [.. e.GetProperty("indices").EnumerateArray().Select(x => x.GetInt32())],
        [.. e.GetProperty("values").EnumerateArray().Select(x => x.GetSingle())]);

    private static IEnumerable<JsonElement> Lines(string name) =>
        File.ReadLines(Fixtures.Golden(name)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
