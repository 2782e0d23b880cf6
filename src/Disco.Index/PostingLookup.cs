namespace Disco.Index;

/// <summary>
/// Reads single postings back: the impact each query term has in given documents, exactly the
/// values search multiplied by the query weights. Explanations ("which terms matched, and how
/// much") come from here, with no forward index and no re-encoding of documents.
/// </summary>
public static class PostingLookup
{
    /// <summary>
    /// For each document of <paramref name="docs"/> (internal ids), the impact of each term of
    /// <paramref name="query"/> in it, 0 where the document lacks the term. Each term's postings are
    /// walked once, skipping by block, with the documents in increasing order.
    /// </summary>
    public static float[][] Impacts(SparseIndex index, SearchQuery query, IReadOnlyList<int> docs)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(docs);
        var result = new float[docs.Count][];
        for (var i = 0; i < result.Length; i++)
        {
            if ((uint)docs[i] >= (uint)index.DocumentCount)
                throw new ArgumentOutOfRangeException(nameof(docs), docs[i], $"document outside the index (0..{index.DocumentCount - 1})");
            result[i] = new float[query.Count];
        }
        var order = Enumerable.Range(0, docs.Count).OrderBy(i => docs[i]).ToArray();
        var cursor = new PostingCursor(index);
        for (var t = 0; t < query.Count; t++)
        {
            cursor.Reset(query.Terms[t]);
            foreach (var i in order)
            {
                cursor.NextGeq(docs[i]);
                if (cursor.Doc == docs[i])
                    result[i][t] = cursor.Impact;
            }
        }
        return result;
    }
}
