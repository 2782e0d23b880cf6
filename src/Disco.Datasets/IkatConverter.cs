using System.Text.Json;
using Disco.Core.Conversations;

namespace Disco.Datasets;

/// <summary>
/// TREC iKAT 2023 topics (spec §6.5): <c>{number: "9-1", title, ptkb: {"1": ...}, turns: [{turn_id,
/// utterance, resolved_utterance, response, ...}]}</c>. Query ids are <c>number_turn_id</c>
/// (<c>9-1_3</c>) as in the NIST qrels; PTKB statements become the conversation's context, responses
/// the answers and resolved utterances the rewrites.
/// </summary>
public static class IkatConverter
{
    public static ConvertedDataset Read(string topicsPath)
    {
        using var doc = TopicsJson.Load(topicsPath);
        var turns = new List<DatasetTurn>();
        var topicIndex = 0;
        foreach (var topic in TopicsJson.Array(doc.RootElement, topicsPath, "top level"))
        {
            var number = TopicsJson.RequiredString(topic, "number", topicsPath, TopicsJson.Where("topic entry", topicIndex++));
            var ptkb = new List<string>();
            if (topic.TryGetProperty("ptkb", out var ptkbEl) && ptkbEl.ValueKind == JsonValueKind.Object)
            {
                // Statements are keyed "1", "2", ...; order them by number so "10" follows "9".
                ptkb.AddRange(ptkbEl.EnumerateObject()
                    .OrderBy(p => int.TryParse(p.Name, out var n) ? n : int.MaxValue)
                    .ThenBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => TopicsJson.Scalar(p.Value)));
            }
            var history = new List<Turn>();
            foreach (var t in TopicsJson.ArrayMember(topic, "turns", topicsPath, $"topic {number}"))
            {
                var turnId = TopicsJson.RequiredString(t, "turn_id", topicsPath, $"topic {number}");
                var where = $"topic {number} turn {turnId}";
                var question = TopicsJson.RequiredString(t, "utterance", topicsPath, where);
                var id = $"{number}_{turnId}";
                turns.Add(new DatasetTurn(id, new Conversation(id, [.. history, new Turn(question)], TopicsJson.OptionalString(t, "resolved_utterance"), ptkb.Count > 0 ? ptkb : null)));
                history.Add(new Turn(question, TopicsJson.OptionalString(t, "response")));
            }
        }
        TopicsJson.RequireUniqueIds(turns, topicsPath);
        return new ConvertedDataset("ikat", turns);
    }
}
