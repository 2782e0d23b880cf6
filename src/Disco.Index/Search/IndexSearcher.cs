using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Exact top-k search by sparse dot product over a <see cref="SparseIndex"/>. Results are sorted
/// by score descending, ties by internal document id ascending (earlier in the collection
/// first); only documents with a positive score are returned, as in SPLADE. Thread-safe.
/// </summary>
public sealed class IndexSearcher
{
    public const int DefaultRangeSize = 1 << 16;
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

    public IndexHit[] Search(SearchQuery query, int k, SearchAlgorithm algorithm = SearchAlgorithm.TermAtATime)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!_pool.TryTake(out var scratch))
            scratch = new SearchScratch(Index, _rangeSize);
        try
        {
            return Search(query, k, algorithm, scratch);
        }
        finally
        {
            _pool.Add(scratch);
        }
    }

    /// <summary>Searches many queries on <paramref name="threads"/> threads; results in input order.</summary>
    public IndexHit[][] SearchBatch(IReadOnlyList<SearchQuery> queries, int k, SearchAlgorithm algorithm = SearchAlgorithm.TermAtATime, int threads = 0, IProgress<long>? progress = null)
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
                    results[i] = Search(queries[i], k, algorithm, scratch);
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

    private IndexHit[] Search(SearchQuery query, int k, SearchAlgorithm algorithm, SearchScratch scratch)
    {
        switch (algorithm)
        {
            case SearchAlgorithm.TermAtATime:
                TermAtATime.Run(query, scratch, Index, k);
                break;
            case SearchAlgorithm.MaxScore:
                MaxScore.Run(query, scratch, Index, k);
                break;
            case SearchAlgorithm.DocumentAtATime:
                DocumentAtATime.Run(query, scratch, Index, k);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
        return scratch.Queue.ToSortedArray();
    }
}
