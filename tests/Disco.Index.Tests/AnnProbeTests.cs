using Disco.TestSupport;

namespace Disco.Index.Tests;

/// <summary>The stage probe of approximate search (the benchmark's profile) sees the stages in order, counts what the passes read, and changes nothing.</summary>
public sealed class AnnProbeTests
{
    [Fact]
    public void A_probed_query_sees_every_stage_in_order_counts_the_postings_read_and_returns_the_same_hits()
    {
        var collection = new ClusteredTestCollection(seed: 3, documents: 3000, topics: 20, vocabulary: 600, queries: 20);
        using var dir = new TempDirectory();
        using var index = SparseIndex.Open(TestIndex.Build(dir.File("index"), collection.Documents, new IndexBuildOptions { Ann = new AnnBuildOptions(200) }));
        var searcher = new IndexSearcher(index);
        var scratch = new SearchScratch(index, IndexSearcher.DefaultRangeSize);
        long added = 0;
        foreach (var vector in collection.Queries)
        {
            var query = SearchQuery.Create(index, vector);
            var probe = new RecordingProbe { Stages = [] };
            CandidateSearch.Run(query, scratch, index, 10, 50, 8, ref probe);
            Assert.Equal(searcher.Search(query, 10, new ApproximateSearch(50, 8)), scratch.Queue.ToSortedArray());
            // Setup, then per range pass 1, pass 2 and the flush, then the choice, re-scoring and the end.
            Assert.Equal(AnnStage.Setup, probe.Stages[0]);
            Assert.Equal([AnnStage.Choose, AnnStage.Rescore, AnnStage.Done], probe.Stages[^3..]);
            var ranges = probe.Stages.Skip(1).SkipLast(3).Chunk(3).ToList();
            Assert.Equal((index.DocumentCount + 65535) / 65536, ranges.Count);
            Assert.All(ranges, r => Assert.Equal([AnnStage.Touch, AnnStage.Add, AnnStage.Flush], r));
            Assert.True(probe.Touching > 0 && probe.Added <= probe.Adding, $"{probe.Touching} {probe.Adding} {probe.Added}");
            added += probe.Added;
        }
        Assert.True(added > 0);
    }

    private struct RecordingProbe : IAnnProbe
    {
        public List<AnnStage> Stages;
        public long Touching;
        public long Adding;
        public long Added;

        public readonly void Begin(AnnStage stage) => Stages.Add(stage);

        public void Segment(int touching, int adding, int added)
        {
            Touching += touching;
            Adding += adding;
            Added += added;
        }
    }
}
