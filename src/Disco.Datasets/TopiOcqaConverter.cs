using System.Globalization;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.Runs;
using Disco.Core.Texts;

namespace Disco.Datasets;

/// <summary>
/// TopiOCQA (DPR-style <c>all_history/{train,dev}.json</c>, spec §6.1–6.2). Query ids are DiSCo's
/// 0-based row numbers of the JSON list, so distillation runs and qrels written by DiSCo line up;
/// <see cref="DatasetTurn.SourceId"/> keeps <c>conv_id_turn_id</c>.
/// </summary>
public static class TopiOcqaConverter
{
    private static readonly string[] SepSeparator = ["[SEP]"];

    /// <summary>
    /// Reads the topics. The "question" member is the history <c>q1 [SEP] a1 [SEP] ... [SEP] qn</c>;
    /// the qrels are the first positive passage of each turn, as DiSCo's <c>parse_topiocqa.py</c>
    /// builds them (per split: DiSCo's dict carried train rows into dev, spec §6.2, which is not copied).
    /// </summary>
    public static ConvertedDataset Read(string topicsPath)
    {
        using var doc = TopicsJson.Load(topicsPath);
        var turns = new List<DatasetTurn>();
        var qrels = new List<QrelEntry>();
        var row = 0;
        foreach (var item in TopicsJson.Array(doc.RootElement, topicsPath, "top level"))
        {
            var where = TopicsJson.Where("row", row);
            var history = TopicsJson.RequiredString(item, "question", topicsPath, where);
            var convId = TopicsJson.OptionalString(item, "conv_id") ?? "?";
            var turnId = TopicsJson.OptionalString(item, "turn_id") ?? "?";
            var id = row.ToString(CultureInfo.InvariantCulture);
            turns.Add(new DatasetTurn($"{convId}_{turnId}", new Conversation(id, SplitHistory(history, topicsPath, where))));
            if (item.TryGetProperty("positive_ctxs", out var positives) && positives.ValueKind == System.Text.Json.JsonValueKind.Array && positives.GetArrayLength() > 0)
            {
                var passageId = TopicsJson.OptionalString(positives[0], "passage_id")
                    ?? throw new DataFormatException(topicsPath, 0, $"{where}: positive_ctxs[0] has no \"passage_id\"");
                qrels.Add(new QrelEntry(id, passageId, 1));
            }
            row++;
        }
        return new ConvertedDataset("topiocqa", turns, qrels);
    }

    /// <summary>Splits <c>q1 [SEP] a1 [SEP] ... [SEP] qn</c> into turns; the last question has no answer yet.</summary>
    public static IReadOnlyList<Turn> SplitHistory(string history, string path = "", string where = "")
    {
        ArgumentNullException.ThrowIfNull(history);
        var parts = history.Split(SepSeparator, StringSplitOptions.None).Select(p => p.Trim()).ToArray();
        if (parts.Length % 2 == 0)
            throw new DataFormatException(path, 0, $"{where}: history has {parts.Length} [SEP]-separated parts; expected questions and answers alternating, ending with a question");
        var turns = new List<Turn>(parts.Length / 2 + 1);
        for (var i = 0; i < parts.Length; i += 2)
            turns.Add(new Turn(parts[i], i + 1 < parts.Length ? parts[i + 1] : null));
        return turns;
    }

    /// <summary>
    /// Reads <c>full_wiki_segments.tsv</c> (<c>id, text, title</c>, header skipped) as passages with
    /// text <c>title + ". " + text</c> (spec §1.3).
    /// </summary>
    /// <remarks>
    /// Deviation: DiSCo's title keeps the line's trailing newline ("Article [SEP] Section\n. text");
    /// it is whitespace to the tokenizer, and a TSV line cannot hold it, so it is dropped.
    /// </remarks>
    public static IEnumerable<TextRecord> ReadCollection(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        long lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (lineNo == 1 || line.Length == 0)
                continue;
            var fields = line.Split('\t');
            if (fields.Length < 3)
                throw new DataFormatException(path, lineNo, $"expected id<TAB>text<TAB>title, found {fields.Length} fields");
            yield return new TextRecord(fields[0], fields[2].TrimEnd('\r') + ". " + fields[1]);
        }
    }
}
