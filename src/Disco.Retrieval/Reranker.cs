using Disco.Core;
using Disco.Core.Queries;
using Disco.Core.Reranking;
using Disco.Core.Runs;

namespace Disco.Retrieval;

/// <summary>
/// The second stage: rescores each query's top <see cref="RerankerOptions.Depth"/> first-stage
/// documents with a cross-encoder and puts them first, by the new score (ties keep first-stage
/// order); the documents below the depth follow in their first-stage order. Chains after
/// <see cref="ConversationalRetriever.SearchMany"/> (<see cref="Rerank(BatchSearchResult, PassageStore, IProgress{long}?)"/>)
/// or reranks a run read from a file.
/// <para>Scores: reranked documents get the cross-encoder's logit; every document below the depth
/// gets its first-stage score shifted by one constant per query, so that the highest lies 1 below
/// the lowest reranked score. Gaps and ties among them stay as they were, and the run reads in the
/// same order by rank or by score (trec_eval sorts by score).</para>
/// </summary>
public sealed class Reranker
{
    public Reranker(ICrossEncoder encoder, RerankerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Encoder = encoder;
        Options = options ?? new RerankerOptions();
        Options.Validate();
    }

    public ICrossEncoder Encoder { get; }

    public RerankerOptions Options { get; }

    /// <summary>The text the cross-encoder reads for <paramref name="query"/>: its text, its conversation flattened, or its rewrite.</summary>
    public string QueryText(Query query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Options.UseRewrite && query.Conversation is { } conversation)
            return conversation.Rewrite ?? throw new DiscoException($"query '{query.Id}' has no rewrite ({nameof(RerankerOptions.UseRewrite)} is set)");
        return query.TextToEncode(Options.Flattening)
            ?? throw new DiscoException($"query '{query.Id}' is a vector; reranking needs its text or conversation");
    }

    /// <summary>
    /// Reranks every ranking of <paramref name="run"/> whose query is in <paramref name="queryTexts"/>;
    /// rankings of other queries are an error. All pairs go to the cross-encoder in one call (it sorts
    /// them by length into batches); <paramref name="progress"/> counts pairs scored.
    /// </summary>
    public Run Rerank(Run run, IReadOnlyDictionary<string, string> queryTexts, PassageStore passages, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(queryTexts);
        ArgumentNullException.ThrowIfNull(passages);
        var jobs = new List<(Ranking Ranking, string Query)>(run.Count);
        foreach (var ranking in run.Rankings)
        {
            if (!queryTexts.TryGetValue(ranking.QueryId, out var text))
                throw new DiscoException($"query '{ranking.QueryId}' of the run has no query text");
            jobs.Add((ranking, text));
        }
        return new Run(RerankAll(jobs, passages, progress));
    }

    /// <summary>Reranks a batch of first-stage results (the query text is what the query encoder read, or the rewrite).</summary>
    public Run Rerank(BatchSearchResult firstStage, PassageStore passages, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(passages);
        var jobs = firstStage.Results.Select(r => (r.ToRanking(), QueryText(r.Query))).ToList();
        return new Run(RerankAll(jobs, passages, progress));
    }

    /// <summary>Reranks one first-stage result.</summary>
    public Ranking Rerank(SearchResult firstStage, PassageStore passages)
    {
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(passages);
        return RerankAll([(firstStage.ToRanking(), QueryText(firstStage.Query))], passages, progress: null)[0];
    }

    /// <summary>The document ids the reranker reads from the collection for <paramref name="run"/> (each query's top depth).</summary>
    public IReadOnlySet<string> DocumentsToRead(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Rankings.SelectMany(r => r.Documents.Take(Options.Depth).Select(d => d.DocId)).ToHashSet(StringComparer.Ordinal);
    }

    private string QueryText(EncodedQuery query) =>
        Options.UseRewrite || query.Text is null ? QueryText(query.Source) : query.Text;

    private List<Ranking> RerankAll(List<(Ranking Ranking, string Query)> jobs, PassageStore passages, IProgress<long>? progress)
    {
        // A run file need not list documents in rank order (trec_eval sorts by score): order by
        // score first; the sort is stable, so a file already in order keeps its ties as listed.
        jobs = [.. jobs.Select(j => (InScoreOrder(j.Ranking), j.Query))];
        var pairs = new List<QueryPassagePair>();
        foreach (var (ranking, query) in jobs)
        {
            foreach (var d in ranking.Documents.Take(Options.Depth))
            {
                if (!passages.TryGetText(d.DocId, out var text))
                    throw new DiscoException($"query '{ranking.QueryId}': document '{d.DocId}' is not in the collection");
                pairs.Add(new QueryPassagePair(query, text));
            }
        }
        var scores = Encoder.Score(pairs, progress);
        if (scores.Count != pairs.Count)
            throw new InvalidOperationException($"the cross-encoder returned {scores.Count} scores for {pairs.Count} pairs");
        var results = new List<Ranking>(jobs.Count);
        var next = 0;
        foreach (var (ranking, _) in jobs)
        {
            var depth = Math.Min(Options.Depth, ranking.Count);
            results.Add(Merge(ranking, scores, next, depth));
            next += depth;
        }
        return results;
    }

    private static Ranking InScoreOrder(Ranking ranking)
    {
        var documents = ranking.Documents;
        for (var i = 1; i < documents.Count; i++)
        {
            if (documents[i].Score > documents[i - 1].Score)
                return new Ranking(ranking.QueryId, [.. documents.OrderByDescending(d => d.Score)]);
        }
        return ranking;
    }

    private static Ranking Merge(Ranking firstStage, IReadOnlyList<float> scores, int offset, int depth)
    {
        var documents = firstStage.Documents;
        // OrderBy is stable: equal scores keep their first-stage order.
        var reranked = Enumerable.Range(0, depth).OrderByDescending(i => scores[offset + i]).ToList();
        var merged = new List<ScoredDocument>(documents.Count);
        foreach (var i in reranked)
            merged.Add(new ScoredDocument(documents[i].DocId, scores[offset + i]));
        if (documents.Count > depth)
        {
            var lowest = depth == 0 ? 0.0 : reranked.Min(i => (double)scores[offset + i]);
            var highestRest = documents.Skip(depth).Max(d => d.Score);
            var shift = lowest - 1 - highestRest;
            for (var i = depth; i < documents.Count; i++)
                merged.Add(new ScoredDocument(documents[i].DocId, documents[i].Score + shift));
        }
        return new Ranking(firstStage.QueryId, merged);
    }
}
