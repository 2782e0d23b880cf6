namespace Disco.Index.Tests;

/// <summary>The set of terms that passed their once-per-open check (<see cref="CheckedSet"/>), shared by searches on several threads.</summary>
public sealed class CheckedSetTests
{
    [Fact]
    public void Items_added_from_many_threads_at_once_are_all_kept_and_no_other_is()
    {
        // 1000 items over 16 words; each thread adds its own items, several threads the same words at the same time.
        const int count = 1000;
        var set = new CheckedSet(count);
        var expected = new HashSet<int>(Enumerable.Range(0, count).Where(i => i % 3 != 0 || i % 64 == 63));
        const int threads = 8;
        var start = new Barrier(threads);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            start.SignalAndWait();
            foreach (var item in expected.Where(i => i % threads == thread))
                set.Add(item);
        });
        Assert.Equal(expected, Enumerable.Range(0, count).Where(set.Contains).ToHashSet());
        // Adding again changes nothing.
        set.Add(1);
        Assert.Equal(expected.Count, Enumerable.Range(0, count).Count(set.Contains));
    }
}
