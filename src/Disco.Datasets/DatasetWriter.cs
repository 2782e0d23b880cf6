using System.Globalization;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Runs;

namespace Disco.Datasets;

/// <summary>
/// Writes the canonical files of a converted dataset (docs/datasets.md): conversations.jsonl,
/// queries.tsv (<c>id&lt;TAB&gt;flattened conversation</c>), ids.tsv (row number, query id, the
/// dataset's own turn id), qrels.trec and qrels.json when there are judgments, collection.tsv when a
/// collection is given. Each file is written atomically.
/// </summary>
public static class DatasetWriter
{
    public const string ConversationsFile = "conversations.jsonl";
    public const string QueriesFile = "queries.tsv";
    public const string IdsFile = "ids.tsv";
    public const string QrelsTrecFile = "qrels.trec";
    public const string QrelsJsonFile = "qrels.json";
    public const string CollectionFile = "collection.tsv";

    public static DatasetWriteSummary Write(ConvertedDataset dataset, string outDir, DatasetWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(outDir);
        ConversationFile.Write(Path.Combine(outDir, ConversationsFile), dataset.Turns.Select(t => t.Conversation));
        AtomicFile.WriteText(Path.Combine(outDir, QueriesFile), w =>
        {
            foreach (var turn in dataset.Turns)
                w.Write($"{turn.Id}\t{OneLine(ConversationFlattener.Flatten(turn.Conversation, options.Flattening))}\n");
        });
        AtomicFile.WriteText(Path.Combine(outDir, IdsFile), w =>
        {
            w.Write("row\tid\tsource_id\n");
            for (var row = 0; row < dataset.Turns.Count; row++)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{row}\t{dataset.Turns[row].Id}\t{dataset.Turns[row].SourceId}\n"));
        });
        var qrels = Qrels.FromEntries(dataset.Qrels.Concat(options.Qrels?.Entries ?? []));
        var turnIds = dataset.Turns.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        if (qrels.Count > 0)
        {
            qrels.Write(Path.Combine(outDir, QrelsTrecFile), RunFormat.Trec);
            qrels.Write(Path.Combine(outDir, QrelsJsonFile), RunFormat.Json);
        }
        long passages = 0;
        if (options.Collection is not null)
        {
            AtomicFile.WriteText(Path.Combine(outDir, CollectionFile), w =>
            {
                foreach (var record in options.Collection)
                {
                    w.Write(OneLine(record.Id));
                    w.Write('\t');
                    w.Write(OneLine(record.Text));
                    w.Write('\n');
                    passages++;
                    options.CollectionProgress?.Report(1);
                }
            });
        }
        return new DatasetWriteSummary(dataset.Turns.Count, qrels.JudgmentCount, qrels.Count, qrels.Keys.Count(q => !turnIds.Contains(q)), passages);
    }

    /// <summary>A TSV field cannot hold tabs or line breaks; they become spaces (whitespace to the tokenizer either way).</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny('\t', '\n', '\r') < 0)
            return text;
        return text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
    }
}
