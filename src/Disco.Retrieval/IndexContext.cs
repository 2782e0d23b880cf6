using Disco.Index;

namespace Disco.Retrieval;

/// <summary>
/// An index with what searching it needs, swapped as one reference when the index is replaced.
/// Searches hold a lease (<see cref="TryEnter"/>/<see cref="Exit"/>) so that a replaced index is
/// handed back for disposal only after the last search on it has finished.
/// </summary>
internal sealed class IndexContext
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _users;
    private int _retired;

    public IndexContext(SparseIndex index, IReadOnlyList<string>? vocabulary)
    {
        Index = index;
        Searcher = new IndexSearcher(index);
        Map = vocabulary is null ? null : new VocabularyMap(index, vocabulary);
    }

    public SparseIndex Index { get; }

    public IndexSearcher Searcher { get; }

    /// <summary>Encoder term id → index term id; null without an encoder.</summary>
    public VocabularyMap? Map { get; }

    /// <summary>Completes once the context is retired and no search holds it.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Takes a lease; false when the context was retired (read the current one again).</summary>
    public bool TryEnter()
    {
        // Interlocked on both sides (here and in Retire) orders the count against the flag: either
        // Retire sees this lease, or this sees the retirement and backs out.
        Interlocked.Increment(ref _users);
        if (Volatile.Read(ref _retired) == 0)
            return true;
        Exit();
        return false;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _users) == 0 && Volatile.Read(ref _retired) != 0)
            _drained.TrySetResult();
    }

    /// <summary>No new leases from now on; <see cref="Drained"/> completes when the current ones end.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _users) == 0)
            _drained.TrySetResult();
    }
}
