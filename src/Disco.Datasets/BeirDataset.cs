using System.Globalization;
using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Core.Texts;

namespace Disco.Datasets;

/// <summary>
/// A dataset folder in BEIR's layout: <c>corpus.jsonl</c> (<c>{"_id", "title", "text"}</c>),
/// <c>queries.jsonl</c> (<c>{"_id", "text"}</c>) and <c>qrels/&lt;split&gt;.tsv</c>
/// (<c>query-id&lt;TAB&gt;corpus-id&lt;TAB&gt;score</c> after a header line), as BEIR's
/// <c>GenericDataLoader</c> reads it.
/// </summary>
public sealed class BeirDataset
{
    public const string CorpusFile = "corpus.jsonl";
    public const string QueriesFile = "queries.jsonl";
    public const string QrelsFolder = "qrels";

    private BeirDataset(string directory, string split)
    {
        Directory = directory;
        Split = split;
    }

    /// <summary>The dataset folder.</summary>
    public string Directory { get; }

    /// <summary>The dataset's name: its folder's name (<c>scifact</c>, <c>nfcorpus</c>, ...).</summary>
    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory)));

    /// <summary>The qrels split evaluated (BEIR's results are on <c>test</c>).</summary>
    public string Split { get; }

    public string CorpusPath => Path.Combine(Directory, CorpusFile);

    public string QueriesPath => Path.Combine(Directory, QueriesFile);

    public string QrelsPath => Path.Combine(Directory, QrelsFolder, Split + ".tsv");

    /// <summary>Opens a BEIR folder; a missing file is an error naming it.</summary>
    public static BeirDataset Open(string directory, string split = "test")
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(split);
        if (!System.IO.Directory.Exists(directory))
            throw new DiscoException($"{directory}: BEIR dataset folder not found");
        var dataset = new BeirDataset(directory, split);
        foreach (var path in new[] { dataset.CorpusPath, dataset.QueriesPath, dataset.QrelsPath })
        {
            if (!File.Exists(path))
                throw new DiscoException($"{path}: not found (a BEIR folder holds {CorpusFile}, {QueriesFile} and {QrelsFolder}/{split}.tsv)");
        }
        return dataset;
    }

    /// <summary>
    /// The passages in file order, each <c>title + " " + text</c> as SPLADE's BEIR evaluation joins
    /// them (a missing title counts as empty; the tokenizer drops the leading space).
    /// </summary>
    public IEnumerable<TextRecord> ReadCorpus() => JsonLines.Read(CorpusPath, (root, line) =>
    {
        var id = Id(root, CorpusPath, line);
        return new TextRecord(id, Text(root, "title", CorpusPath, line, required: false) + " " + Text(root, "text", CorpusPath, line, required: true));
    });

    /// <summary>
    /// The queries that have judgments in the split, in file order (BEIR evaluates only those). A
    /// query id listed twice keeps its first position and its last text, as BEIR's loader (a dict) does.
    /// </summary>
    public IReadOnlyList<TextRecord> ReadQueries(Qrels qrels)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var q in JsonLines.Read(QueriesPath, (root, line) => new TextRecord(Id(root, QueriesPath, line), Text(root, "text", QueriesPath, line, required: true))))
        {
            if (qrels.ContainsKey(q.Id))
                byId[q.Id] = q.Text;
        }
        return [.. byId.Select(q => new TextRecord(q.Key, q.Value))];
    }

    /// <summary>Reads the split's qrels (the first line is BEIR's header and is skipped).</summary>
    public Qrels ReadQrels()
    {
        var entries = new List<QrelEntry>();
        long lineNo = 0;
        foreach (var line in File.ReadLines(QrelsPath))
        {
            lineNo++;
            if (lineNo == 1 || line.Length == 0)
                continue;
            var fields = line.Split('\t');
            if (fields.Length != 3)
                throw new DataFormatException(QrelsPath, lineNo, $"expected query-id<TAB>corpus-id<TAB>score, found {fields.Length} fields");
            if (!int.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var score))
                throw new DataFormatException(QrelsPath, lineNo, $"score '{fields[2]}' is not an integer");
            entries.Add(new QrelEntry(fields[0], fields[1], score));
        }
        try
        {
            return Qrels.FromEntries(entries);
        }
        catch (DiscoException e)
        {
            throw new DiscoException($"{QrelsPath}: {e.Message}");
        }
    }

    private static string Id(JsonElement root, string path, long line)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, line, "expected a JSON object");
        if (!root.TryGetProperty("_id", out var id))
            throw new DataFormatException(path, line, "missing \"_id\"");
        return id.ValueKind switch
        {
            JsonValueKind.String => id.GetString()!,
            JsonValueKind.Number => id.GetRawText(),
            _ => throw new DataFormatException(path, line, "\"_id\" must be a string or a number"),
        };
    }

    private static string Text(JsonElement root, string name, string path, long line, bool required)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? throw new DataFormatException(path, line, $"missing \"{name}\"") : "";
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new DataFormatException(path, line, $"\"{name}\" must be a string");
    }
}
