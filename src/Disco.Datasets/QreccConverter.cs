using Disco.Core;
using Disco.Core.Conversations;

namespace Disco.Datasets;

/// <summary>
/// QReCC (apple/ml-qrecc JSON list: <c>Conversation_no, Turn_no, Question, Rewrite, Answer,
/// Context</c>, spec §6.3). <c>Context</c> alternates earlier questions and answers; the human
/// <c>Rewrite</c> is kept; query ids are <c>Conversation_no_Turn_no</c>.
/// </summary>
public static class QreccConverter
{
    public static ConvertedDataset Read(string topicsPath)
    {
        using var doc = TopicsJson.Load(topicsPath);
        var turns = new List<DatasetTurn>();
        var index = 0;
        foreach (var item in TopicsJson.Array(doc.RootElement, topicsPath, "top level"))
        {
            var where = TopicsJson.Where("entry", index++);
            var conv = TopicsJson.RequiredString(item, "Conversation_no", topicsPath, where);
            var turnNo = TopicsJson.RequiredString(item, "Turn_no", topicsPath, where);
            var question = TopicsJson.RequiredString(item, "Question", topicsPath, where);
            var context = item.TryGetProperty("Context", out var ctx) && ctx.ValueKind == System.Text.Json.JsonValueKind.Array
                ? ctx.EnumerateArray().Select(TopicsJson.Scalar).ToList()
                : [];
            if (context.Count % 2 != 0)
                throw new DataFormatException(topicsPath, 0, $"{where} (conversation {conv} turn {turnNo}): \"Context\" has {context.Count} entries; expected question/answer pairs");
            var history = new List<Turn>(context.Count / 2 + 1);
            for (var i = 0; i < context.Count; i += 2)
                history.Add(new Turn(context[i], context[i + 1]));
            history.Add(new Turn(question));
            var rewrite = TopicsJson.OptionalString(item, "Rewrite");
            var id = $"{conv}_{turnNo}";
            turns.Add(new DatasetTurn(id, new Conversation(id, history, string.IsNullOrEmpty(rewrite) ? null : rewrite)));
        }
        TopicsJson.RequireUniqueIds(turns, topicsPath);
        return new ConvertedDataset("qrecc", turns);
    }
}
