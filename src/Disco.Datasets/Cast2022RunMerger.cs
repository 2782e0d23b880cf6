using Disco.Core;
using Disco.Core.Runs;

namespace Disco.Datasets;

/// <summary>
/// Merges runs retrieved from shards of one collection (CAsT 2022's MS MARCO v2, KILT and WaPo
/// passage indexes) and drops passages of documents the organisers list as duplicates (spec §6.4,
/// after DiSCo's <c>merge_run_cast22.py</c>): the document of a passage id <c>doc-n</c> is <c>doc</c>.
/// </summary>
public static class Cast2022RunMerger
{
    private static readonly char[] DuplicateSeparators = [' ', '\t', ',', ':', '[', ']', '"', '\''];

    /// <summary>
    /// Reads a duplicates list: each line names a kept document followed by its duplicates
    /// (separated by spaces, tabs, commas or a colon, optionally in brackets, as the organisers'
    /// <c>id:[dup1,dup2]</c> lines are). Every id after the first on a line is a duplicate to drop.
    /// </summary>
    public static HashSet<string> ReadDuplicates(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        var drop = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var ids = line.Split(DuplicateSeparators, StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < ids.Length; i++)
                drop.Add(ids[i]);
        }
        return drop;
    }

    /// <summary>The document id of a CAsT 2022 passage id: everything before the last '-'.</summary>
    public static string DocumentOf(string passageId)
    {
        ArgumentNullException.ThrowIfNull(passageId);
        var dash = passageId.LastIndexOf('-');
        return dash < 0 ? passageId : passageId[..dash];
    }

    /// <summary>
    /// Union of the runs per query (a passage in several runs keeps the score of the last run, as
    /// DiSCo's dict update does), minus passages of duplicate documents, top <paramref name="topK"/>
    /// by score with ties broken by passage id so the output is reproducible; queries in ordinal order.
    /// </summary>
    public static Run Merge(
        IEnumerable<IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> runs,
        IReadOnlySet<string>? duplicateDocuments = null,
        int topK = 1000)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        var merged = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var (qid, docs) in run)
            {
                if (!merged.TryGetValue(qid, out var target))
                    merged[qid] = target = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (doc, score) in docs)
                    target[doc] = score;
            }
        }
        return Run.FromScores(merged.Select(q => KeyValuePair.Create(q.Key, q.Value.Where(d => duplicateDocuments is null || !duplicateDocuments.Contains(DocumentOf(d.Key))))), topK);
    }
}
