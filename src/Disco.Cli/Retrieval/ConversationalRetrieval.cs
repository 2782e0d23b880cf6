using System.Diagnostics;
using Disco.Core.Conversations;
using Disco.Core.Runs;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.Text;

namespace Disco.Cli.Retrieval;

/// <summary>
/// Encodes queries (texts, or conversations flattened as DiSCo does) with a query encoder and
/// searches an index, timing encoding and search separately as SPLADE's retrieve does.
/// </summary>
public static class ConversationalRetrieval
{
    /// <summary>Queries from a conversations JSONL (flattened) or a TSV/JSONL of texts.</summary>
    public static IReadOnlyList<TextRecord> ReadQueries(string path, FlatteningOptions flattening)
    {
        ArgumentNullException.ThrowIfNull(flattening);
        if (!File.Exists(path))
            throw new Core.DiscoException($"{path}: file not found");
        return ConversationFile.IsConversationFile(path)
            ? [.. ConversationFile.Read(path).Select(c => new TextRecord(c.Id, ConversationFlattener.Flatten(c, flattening)))]
            : [.. TextRecordFile.Read(path)];
    }

    /// <summary>
    /// Encodes in batches of <paramref name="batchSize"/> (each query's encoding time is its
    /// batch's time divided by the batch size; batch size 1 measures each query alone, like SPLADE's
    /// non-batched retrieve) and searches one query at a time. Hits scoring at or below
    /// <paramref name="threshold"/> are dropped, as SPLADE keeps scores above <c>config.threshold</c>.
    /// </summary>
    public static List<RetrievedQuery> Run(ISparseEncoder encoder, SparseIndex index, IReadOnlyList<TextRecord> queries, int batchSize, int topK, float threshold, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queries);
        var searcher = new IndexSearcher(index);
        var results = new List<RetrievedQuery>(queries.Count);
        var clock = new Stopwatch();
        if (queries.Count > 0)
        {
            // Warm up (JIT, libtorch and index pages) so the first query's latency is not the process's start-up.
            var warm = encoder.Encode([queries[0].Text]);
            searcher.Search(SearchQuery.Create(index, queries[0].Id, warm[0], encoder.Vocabulary), topK);
        }
        foreach (var batch in queries.Chunk(Math.Max(1, batchSize)))
        {
            clock.Restart();
            var vectors = encoder.Encode([.. batch.Select(q => q.Text)]);
            var encodeMs = clock.Elapsed.TotalMilliseconds / batch.Length;
            for (var i = 0; i < batch.Length; i++)
            {
                clock.Restart();
                var query = SearchQuery.Create(index, batch[i].Id, vectors[i], encoder.Vocabulary);
                var hits = searcher.Search(query, topK);
                var searchMs = clock.Elapsed.TotalMilliseconds;
                results.Add(new RetrievedQuery(
                    batch[i].Id,
                    vectors[i],
                    [.. hits.Where(h => h.Score > threshold).Select(h => new ScoredDocument(index.DocumentId(h.Doc), h.Score))],
                    encodeMs,
                    searchMs));
            }
            progress?.Report(batch.Length);
        }
        return results;
    }

    /// <summary>The terms two vectors share, with their contribution q·d to the score, largest first.</summary>
    public static IReadOnlyList<(int Term, double Contribution)> MatchingTerms(SparseVector query, SparseVector document)
    {
        ArgumentNullException.ThrowIfNull(query);
        var shared = new List<(int, double)>();
        query.ForEachShared(document, (term, q, d) => shared.Add((term, (double)q * d)));
        return [.. shared.OrderByDescending(s => s.Item2).ThenBy(s => s.Item1)];
    }
}
