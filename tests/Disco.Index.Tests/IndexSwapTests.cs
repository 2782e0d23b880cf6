using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>
/// A build replacing an index while others search it (docs/index-format.md, "Replacing an
/// index"): every open sees one whole index, the old or the new, never a mix and never a false
/// "damaged" error; an index already open keeps answering from the files it opened.
/// </summary>
public sealed class IndexSwapTests
{
    private static readonly RandomCollection First = new(seed: 31, maxDocs: 300, maxVocabulary: 40);
    private static readonly RandomCollection Second = new(seed: 32, maxDocs: 300, maxVocabulary: 40);

    /// <summary>The ranking of one query over all the vocabulary of both collections, as (document id, score).</summary>
    private static List<(string, float)> Ranking(SparseIndex index)
    {
        var terms = First.Vocabulary.Union(Second.Vocabulary).ToArray();
        var query = SearchQuery.Create(index, new TermVector("q", terms, [.. terms.Select((_, i) => 1f + (i % 4))]));
        return [.. new IndexSearcher(index).Search(query, 50).Select(h => (index.DocumentId(h.Doc), h.Score))];
    }

    [Fact]
    public async Task SearchesDuringManySwapsSeeTheOldOrTheNewIndexAndNeverFail()
    {
        using var dir = new TempDirectory();
        var target = dir.File("index");
        List<(string, float)> expectedFirst, expectedSecond;
        using (var a = SparseIndex.Open(First.Build(dir.File("a"))))
            expectedFirst = Ranking(a);
        using (var b = SparseIndex.Open(Second.Build(dir.File("b"))))
            expectedSecond = Ranking(b);
        Assert.NotEqual(expectedFirst, expectedSecond);
        First.Build(target);

        const int swaps = 60;
        var done = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int sawFirst = 0, sawSecond = 0, opens = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                try
                {
                    using var index = SparseIndex.Open(target);
                    var ranking = Ranking(index);
                    Interlocked.Increment(ref opens);
                    if (ranking.SequenceEqual(expectedFirst))
                        Interlocked.Increment(ref sawFirst);
                    else if (ranking.SequenceEqual(expectedSecond))
                        Interlocked.Increment(ref sawSecond);
                    else
                        errors.Enqueue("a ranking of neither index");
                }
                catch (Exception e)
                {
                    errors.Enqueue($"{e.GetType().Name}: {e.Message}");
                }
            }
        }, TestContext.Current.CancellationToken)).ToList();
        // The readers run on the thread pool, which a busy test run may start late (a fresh-clone CI
        // once finished all 60 swaps before either had opened the index): keep swapping until they
        // have searched during the swaps, for at most a minute.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < swaps || (Volatile.Read(ref opens) < 10 && clock.Elapsed < TimeSpan.FromMinutes(1)); i++)
            (i % 2 == 0 ? Second : First).Build(target);
        Volatile.Write(ref done, 1);
        await Task.WhenAll(readers);

        Assert.True(errors.IsEmpty, $"{errors.Count} errors in {opens} opens, e.g. {errors.FirstOrDefault()}");
        Assert.True(opens > 0);
        Assert.Equal([target], Directory.GetDirectories(dir.Path).Where(d => d.StartsWith(target, StringComparison.Ordinal)));
    }

    [Fact]
    public void AnOpenIndexKeepsAnsweringFromItsFilesAfterASwap()
    {
        using var dir = new TempDirectory();
        var target = First.Build(dir.File("index"));
        using var index = SparseIndex.Open(target);
        var before = Ranking(index);
        Second.Build(target);
        Assert.Equal(before, Ranking(index));
        using var reopened = SparseIndex.Open(target);
        Assert.NotEqual(before, Ranking(reopened));
    }

    [Fact]
    public void AMissingIndexIsStillReportedPromptly()
    {
        using var dir = new TempDirectory();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<Disco.Core.DiscoException>(() => SparseIndex.Open(dir.File("none")));
        Assert.EndsWith("index directory not found", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }
}
