using Disco.Core;
using Disco.Core.Texts;

namespace Disco.Retrieval;

/// <summary>
/// Passage texts by document id, for a reranker. <see cref="Load"/> can keep only the passages a
/// run needs, so reranking over a collection of tens of millions of passages reads the file once
/// and holds a few thousand texts.
/// </summary>
public sealed class PassageStore
{
    private readonly Dictionary<string, string> _texts;

    public PassageStore(IEnumerable<TextRecord> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        _texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in passages)
            _texts[p.Id] = p.Text;
    }

    private PassageStore(Dictionary<string, string> texts) => _texts = texts;

    public int Count => _texts.Count;

    /// <summary>
    /// Reads a collection (TSV <c>id&lt;TAB&gt;text</c> or JSONL, as <see cref="TextRecordFile"/>),
    /// keeping only the ids in <paramref name="only"/> when it is given.
    /// </summary>
    public static PassageStore Load(string path, IReadOnlySet<string>? only = null, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        long read = 0;
        foreach (var record in TextRecordFile.Read(path))
        {
            if (only is null || only.Contains(record.Id))
                texts[record.Id] = record.Text;
            if (++read % 100_000 == 0)
                progress?.Report(100_000);
        }
        progress?.Report(read % 100_000);
        return new PassageStore(texts);
    }

    public bool TryGetText(string documentId, out string text) => _texts.TryGetValue(documentId, out text!);

    /// <summary>The text of <paramref name="documentId"/>; a missing passage is an error naming it.</summary>
    public string Text(string documentId) =>
        _texts.TryGetValue(documentId, out var text) ? text : throw new DiscoException($"document '{documentId}' is not in the collection");
}
