using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Exact top-k search by sparse dot product over a <see cref="SparseIndex"/>. Results are sorted
/// by score descending, ties by internal document number ascending (earlier in the index's
/// order: input order, or the order of a reordered index), the same for every exact algorithm;
/// only documents with a positive score are returned, as in SPLADE. Thread-safe.
/// </summary>
public sealed class IndexSearcher
{
    public const int DefaultRangeSize = 1 << 16;

    /// <summary>
    /// The exact algorithm used when none is named: the one default, which the retrieval
    /// library's <c>SearchOptions</c>, the CLI and the server read from here.
    /// </summary>
    public const SearchAlgorithm DefaultAlgorithm = SearchAlgorithm.Auto;

    /// <summary>
    /// The deepest k for which <see cref="SearchAlgorithm.Auto"/> picks block-max search (when the
    /// index has the section). Measured on the clustered 1M collection, reordered (thread CPU time
    /// against term-at-a-time, docs/benchmarks.md): 0.47x at k=1, 0.64x at 10, 0.78x at 20, 0.93x at
    /// 40, 1.64x at 100; the first blocks no longer set a high k-th score, so most blocks stay open.
    /// </summary>
    public const int BlockMaxDepth = 32;

    /// <summary>
    /// The largest <see cref="BlockMaxMetadata.Clustering"/> (entries over those of a random
    /// document order) for which <see cref="SearchAlgorithm.Auto"/> picks block-max search. Measured
    /// at k=10 (thread CPU time against term-at-a-time, docs/benchmarks.md): the clustered 1M
    /// collection reordered, 0.78: 0.67x; the same in input order, 1.00: 1.08x; the i.i.d. 1M
    /// collection, input order and reordered (which finds no clusters there), 1.00: 2.8x and 2.7x.
    /// Set well below 1 so that auto never picks the slower algorithm on the evidence so far.
    /// </summary>
    public const double BlockMaxClustering = 0.85;

    /// <summary>
    /// Whether <see cref="SearchAlgorithm.Auto"/> uses a block-max section (at k up to
    /// <see cref="BlockMaxDepth"/>): only when its blocks hold similar documents
    /// (<see cref="BlockMaxClustering"/>), as after reordering a topical collection; and then a query
    /// whose blocks stay open is handed over to term-at-a-time (<see cref="BlockMaxSearch.HandOverFraction"/>).
    /// Naming <see cref="SearchAlgorithm.BlockMax"/> uses the section whatever its clustering, never handing over.
    /// </summary>
    public static bool AutoUsesBlockMax(BlockMaxMetadata section) => section.Clustering is double c && c <= BlockMaxClustering;

    /// <summary>The exact algorithm that runs for <paramref name="algorithm"/> at depth <paramref name="k"/> on this index (<see cref="SearchAlgorithm.Auto"/> resolved).</summary>
    public SearchAlgorithm Resolve(SearchAlgorithm algorithm, int k) =>
        algorithm != SearchAlgorithm.Auto ? algorithm
        : Index.HasBlockMax && AutoUsesBlockMax(Index.Metadata.BlockMax!) && k <= BlockMaxDepth ? SearchAlgorithm.BlockMax
        : SearchAlgorithm.TermAtATime;
    private readonly ConcurrentBag<SearchScratch> _pool = [];
    private readonly int _rangeSize;

    public IndexSearcher(SparseIndex index, int rangeSize = DefaultRangeSize)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeSize, 16);
        Index = index;
        _rangeSize = rangeSize;
    }

    public SparseIndex Index { get; }

    public IndexHit[] Search(SearchQuery query, int k, SearchAlgorithm algorithm = DefaultAlgorithm) =>
        Search(query, k, Plan.Of(algorithm));

    /// <summary>
    /// Approximate search with the index's approximate-search structures (<see cref="SparseIndex.HasAnn"/>):
    /// may miss documents of the exact top k at the given operating point; scores are exact.
    /// </summary>
    public IndexHit[] Search(SearchQuery query, int k, ApproximateSearch approximate) =>
        Search(query, k, Resolve(approximate));

    /// <summary>Searches many queries on <paramref name="threads"/> threads; results in input order.</summary>
    public IndexHit[][] SearchBatch(IReadOnlyList<SearchQuery> queries, int k, SearchAlgorithm algorithm = DefaultAlgorithm, int threads = 0, IProgress<long>? progress = null) =>
        SearchBatch(queries, k, Plan.Of(algorithm), threads, progress);

    /// <summary>Approximate search of many queries on <paramref name="threads"/> threads; results in input order.</summary>
    public IndexHit[][] SearchBatch(IReadOnlyList<SearchQuery> queries, int k, ApproximateSearch approximate, int threads = 0, IProgress<long>? progress = null) =>
        SearchBatch(queries, k, Resolve(approximate), threads, progress);

    private IndexHit[] Search(SearchQuery query, int k, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!_pool.TryTake(out var scratch))
            scratch = new SearchScratch(Index, _rangeSize);
        try
        {
            return Search(query, k, plan, scratch);
        }
        finally
        {
            _pool.Add(scratch);
        }
    }

    private IndexHit[][] SearchBatch(IReadOnlyList<SearchQuery> queries, int k, Plan plan, int threads, IProgress<long>? progress)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var results = new IndexHit[queries.Count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        try
        {
            Parallel.For(
                0,
                queries.Count,
                options,
                () => new SearchScratch(Index, _rangeSize),
                (i, _, scratch) =>
                {
                    results[i] = Search(queries[i], k, plan, scratch);
                    progress?.Report(1);
                    return scratch;
                },
                _ => { });
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.OfType<DiscoException>().FirstOrDefault() is { } damage)
        {
            // A damaged index found by one of the threads: the caller gets that one error, as
            // from a single search, not an aggregate of one per thread.
            ExceptionDispatchInfo.Capture(damage).Throw();
            throw;
        }
        return results;
    }

    /// <summary>
    /// The operating point of approximate search, with the index's defaults, checked before any
    /// query runs: a block budget (or an index with only the block-max section) means block-max
    /// search; otherwise the approximate-search section's candidates.
    /// </summary>
    private Plan Resolve(ApproximateSearch approximate)
    {
        ArgumentNullException.ThrowIfNull(approximate);
        if (approximate.Blocks is not null || (Index.Metadata.Ann is null && Index.Metadata.BlockMax is not null && approximate.Budget is null && approximate.Terms is null))
        {
            var blockMax = RequireBlockMax();
            return new Plan(SearchAlgorithm.BlockMax, approximate.Blocks ?? blockMax.Metadata.DefaultBlocks, 0);
        }
        if (Index.Metadata.Ann is { IsCurrent: false } outdated)
            throw new DiscoException(outdated.Outdated(Index.Directory));
        var ann = Index.Ann?.Metadata ?? throw new DiscoException($"{Index.Directory}: the index has no approximate-search section (build it with --ann or --block-max, or add one with `disco index ann` or `disco index blockmax`)");
        var (budget, terms) = approximate.Resolve(ann);
        return new Plan(null, budget, terms);
    }

    private IndexHit[] Search(SearchQuery query, int k, Plan plan, SearchScratch scratch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k == 0)
            return [];
        // No query can return more hits than there are documents; without the cap a k near 2^30
        // overflows the queue's 2k buffer (issue 15). The results are the same.
        k = Math.Min(k, Math.Max(1, Index.DocumentCount));
        switch (plan.Algorithm is { } algorithm ? Resolve(algorithm, k) : (SearchAlgorithm?)null)
        {
            case null:
                CandidateSearch.Run(query, scratch, Index, k, plan.Budget, plan.Terms);
                break;
            case SearchAlgorithm.TermAtATime:
                TermAtATime.Run(query, scratch, Index, k);
                break;
            case SearchAlgorithm.MaxScore:
                MaxScore.Run(query, scratch, Index, k);
                break;
            case SearchAlgorithm.DocumentAtATime:
                DocumentAtATime.Run(query, scratch, Index, k);
                break;
            case SearchAlgorithm.BlockMax when plan.Budget > 0:
                BlockMaxSearch.Approximate(query, scratch, RequireBlockMax(), k, plan.Budget);
                break;
            case SearchAlgorithm.BlockMax:
                // Auto lets block-max hand a query whose blocks stay open over to the plain scan.
                if (!BlockMaxSearch.Exact(query, scratch, RequireBlockMax(), k, plan.Algorithm == SearchAlgorithm.Auto ? BlockMaxSearch.HandOverFraction : double.PositiveInfinity))
                    TermAtATime.Run(query, scratch, Index, k);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(plan));
        }
        return scratch.Queue.ToSortedArray();
    }

    private BlockMaxIndex RequireBlockMax()
    {
        if (Index.BlockMax is { } blockMax)
            return blockMax;
        if (Index.Metadata.BlockMax is { IsCurrent: false } outdated)
            throw new DiscoException(outdated.Outdated(Index.Directory));
        throw new DiscoException($"{Index.Directory}: the index has no block-max section (build it with --block-max, or add it with `disco index blockmax`)");
    }

    /// <summary>An exact algorithm, or (Algorithm null) approximate search at an operating point.</summary>
    private readonly record struct Plan(SearchAlgorithm? Algorithm, int Budget, int Terms)
    {
        public static Plan Of(SearchAlgorithm algorithm) => new(algorithm, 0, 0);
    }
}
