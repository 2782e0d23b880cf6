using System.Text.Json;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.IO;

namespace Disco.Datasets;

/// <summary>
/// TREC CAsT evaluation topics, 2019–2022 (spec §6.4). Query ids follow the official qrels,
/// <c>topic_turn</c> (<c>132_2-3</c> in 2022).
/// <list type="bullet">
/// <item>2019: <c>raw_utterance</c> only; rewrites from the annotated resolved TSV.</item>
/// <item>2020/2021: <c>raw_utterance</c>, manual and automatic rewrites, and a canonical result
/// (its <c>passage</c> text, or its id looked up in <see cref="CastOptions.Passages"/>) as the answer.</item>
/// <item>2022 tree: user and system turns linked by <c>parent</c>; a turn's history is the path from the
/// root, and system <c>response</c>s are the answers. The flattened file (one branch per entry,
/// turns repeated) gives the same turns once each.</item>
/// </list>
/// </summary>
public static class CastConverter
{
    private static readonly string[] CanonicalIdFields = ["manual_canonical_result_id", "automatic_canonical_result_id", "canonical_result_id"];

    public static ConvertedDataset Read(string topicsPath, CastOptions? options = null)
    {
        options ??= new CastOptions();
        using var doc = TopicsJson.Load(topicsPath);
        var turns = new List<DatasetTurn>();
        var seen = new Dictionary<string, DatasetTurn>(StringComparer.Ordinal);
        var topicIndex = 0;
        foreach (var topic in TopicsJson.Array(doc.RootElement, topicsPath, "top level"))
        {
            var where = TopicsJson.Where("topic entry", topicIndex++);
            var number = TopicsJson.RequiredString(topic, "number", topicsPath, where);
            var topicTurns = TopicsJson.ArrayMember(topic, "turn", topicsPath, $"topic {number}").ToList();
            var isTree = topicTurns.Any(t => t.TryGetProperty("participant", out _));
            var converted = isTree
                ? ReadTree(topicsPath, number, topicTurns, options)
                : ReadLinear(topicsPath, number, topicTurns, options);
            foreach (var turn in converted)
            {
                // The 2022 flattened file repeats shared turns in every branch: keep each id once.
                // Any other repeat (a topic or turn number given twice) would put the turns of two
                // conversations under one query id, and is refused.
                if (seen.TryAdd(turn.Id, turn))
                    turns.Add(turn);
                else if (!SameConversation(seen[turn.Id].Conversation, turn.Conversation))
                    throw new DataFormatException(topicsPath, 0, $"topic {number}: query id '{turn.Id}' is given twice with different turns; the topics repeat a topic or turn number");
            }
        }
        var rewrites = options.RewritesPath is null ? null : ReadRewrites(options.RewritesPath);
        if (rewrites is not null)
            turns = [.. turns.Select(t => rewrites.TryGetValue(t.Id, out var r) ? t with { Conversation = t.Conversation with { Rewrite = r } } : t)];
        return new ConvertedDataset("cast", turns);
    }

    private static bool SameConversation(Conversation a, Conversation b)
        => a.Turns.SequenceEqual(b.Turns) && a.Rewrite == b.Rewrite && (a.Context ?? []).SequenceEqual(b.Context ?? []);

    /// <summary>The canonical result ids the topics point to (2020/2021), so a caller can fetch only those passages from a large collection.</summary>
    public static IReadOnlySet<string> CanonicalResultIds(string topicsPath)
    {
        using var doc = TopicsJson.Load(topicsPath);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in TopicsJson.Array(doc.RootElement, topicsPath, "top level"))
        {
            if (!topic.TryGetProperty("turn", out var turnArray) || turnArray.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var turn in turnArray.EnumerateArray())
            {
                foreach (var field in CanonicalIdFields)
                {
                    if (TopicsJson.OptionalString(turn, field) is { } id)
                        ids.Add(id);
                }
            }
        }
        return ids;
    }

    private static List<DatasetTurn> ReadLinear(string path, string topic, List<JsonElement> topicTurns, CastOptions options)
    {
        var result = new List<DatasetTurn>(topicTurns.Count);
        var history = new List<Turn>();
        foreach (var t in topicTurns)
        {
            var number = TopicsJson.RequiredString(t, "number", path, $"topic {topic}");
            var where = $"topic {topic} turn {number}";
            var question = TopicsJson.OptionalString(t, "raw_utterance") ?? TopicsJson.OptionalString(t, "utterance")
                ?? throw new DataFormatException(path, 0, $"{where}: missing \"raw_utterance\" or \"utterance\"");
            var id = $"{topic}_{number}";
            result.Add(new DatasetTurn(id, new Conversation(id, [.. history, new Turn(question)], RewriteOf(t, options.Rewrite))));
            history.Add(new Turn(question, AnswerOf(t, options)));
        }
        return result;
    }

    private static List<DatasetTurn> ReadTree(string path, string topic, List<JsonElement> topicTurns, CastOptions options)
    {
        var byNumber = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var t in topicTurns)
        {
            var number = TopicsJson.RequiredString(t, "number", path, $"topic {topic}");
            if (!byNumber.TryAdd(number, t))
                throw new DataFormatException(path, 0, $"topic {topic}: turn number {number} is given twice; parent links to it would be ambiguous");
        }
        var result = new List<DatasetTurn>();
        foreach (var t in topicTurns)
        {
            if (TopicsJson.OptionalString(t, "participant") != "User")
                continue;
            var number = TopicsJson.OptionalString(t, "number")!;
            var where = $"topic {topic} turn {number}";
            var branch = PathFromRoot(path, where, byNumber, number);
            var turns = new List<Turn>();
            for (var i = 0; i < branch.Count; i++)
            {
                var node = branch[i];
                if (TopicsJson.OptionalString(node, "participant") != "User")
                    continue;
                var question = TopicsJson.RequiredString(node, "utterance", path, $"topic {topic} turn {TopicsJson.OptionalString(node, "number")}");
                var next = i + 1 < branch.Count ? branch[i + 1] : default;
                var answer = next.ValueKind == JsonValueKind.Object && TopicsJson.OptionalString(next, "participant") == "System"
                    ? TopicsJson.OptionalString(next, "response")
                    : null;
                turns.Add(new Turn(question, answer));
            }
            var id = $"{topic}_{number}";
            result.Add(new DatasetTurn(id, new Conversation(id, turns, RewriteOf(t, options.Rewrite))));
        }
        return result;
    }

    private static List<JsonElement> PathFromRoot(string path, string where, Dictionary<string, JsonElement> byNumber, string number)
    {
        var branch = new List<JsonElement>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        string? current = number;
        while (current is not null)
        {
            if (!visited.Add(current))
                throw new DataFormatException(path, 0, $"{where}: the parent links form a cycle at turn {current}");
            if (!byNumber.TryGetValue(current, out var node))
                throw new DataFormatException(path, 0, $"{where}: parent turn {current} does not exist");
            branch.Add(node);
            current = TopicsJson.OptionalString(node, "parent");
        }
        branch.Reverse();
        return branch;
    }

    private static string? RewriteOf(JsonElement turn, CastRewrite kind) => kind switch
    {
        CastRewrite.Manual => TopicsJson.OptionalString(turn, "manual_rewritten_utterance"),
        _ => TopicsJson.OptionalString(turn, "automatic_rewritten_utterance"),
    };

    private static string? AnswerOf(JsonElement turn, CastOptions options)
    {
        if (TopicsJson.OptionalString(turn, "passage") is { } passage)
            return passage;
        if (TopicsJson.OptionalString(turn, "response") is { } response)
            return response;
        if (options.Passages is null)
            return null;
        // The canonical result that matches the chosen rewrite comes first: it is the passage the
        // organisers' own pipeline of that kind returned.
        var fields = options.Rewrite == CastRewrite.Automatic
            ? CanonicalIdFields.Reverse()
            : CanonicalIdFields;
        foreach (var field in fields)
        {
            if (TopicsJson.OptionalString(turn, field) is { } id && options.Passages.TryGetValue(id, out var text))
                return text;
        }
        return null;
    }

    private static Dictionary<string, string> ReadRewrites(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        var rewrites = new Dictionary<string, string>(StringComparer.Ordinal);
        var unique = new UniqueIds(path, "query");
        foreach (var (line, lineNo) in Utf8Lines.Read(path))
        {
            if (line.Length == 0)
                continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
                throw new DataFormatException(path, lineNo, "expected qid<TAB>rewrite");
            unique.Add(line[..tab], lineNo);
            rewrites[line[..tab]] = line[(tab + 1)..].Trim();
        }
        return rewrites;
    }
}
