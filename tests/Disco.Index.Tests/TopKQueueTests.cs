namespace Disco.Index.Tests;

public sealed class TopKQueueTests
{
    [Fact]
    public void Heap_and_buffered_modes_keep_the_k_best_with_ties_by_document()
    {
        var random = new Random(31);
        var queue = new TopKQueue();
        for (var trial = 0; trial < 300; trial++)
        {
            var k = new[] { 1, 5, 63, 64, 100, 1000 }[trial % 6];
            var n = random.Next(0, 5000);
            // Few distinct scores, zeros included, documents offered in increasing order as the algorithms do.
            var offers = Enumerable.Range(0, n).Select(d => (Doc: d * 3, Score: random.Next(0, 40) * 0.25f)).ToList();
            queue.Reset(k);
            foreach (var (doc, score) in offers)
            {
                if (score > queue.Threshold)
                    queue.Offer(doc, score);
            }
            var expected = offers.Where(o => o.Score > 0).OrderByDescending(o => o.Score).ThenBy(o => o.Doc).Take(k).ToList();
            Assert.Equal(expected, queue.ToSortedArray().Select(h => (h.Doc, h.Score)).ToList());
        }
    }

    [Fact]
    public void Documents_offered_in_any_order_keep_the_k_best_with_ties_by_document()
    {
        // Offer decides ties by document itself, so any order works; the buffered mode's selection
        // (radix on the score bits, then the smallest tied documents) must agree with a sort.
        var random = new Random(47);
        var queue = new TopKQueue();
        for (var trial = 0; trial < 200; trial++)
        {
            var k = new[] { 1, 10, 64, 100, 1000 }[trial % 5];
            var n = random.Next(0, 6000);
            var distinct = new[] { 3, 40, 100_000 }[trial % 3];
            var offers = Enumerable.Range(0, n).Select(d => (Doc: d, Score: (random.Next(0, distinct) * 0.37f) + (trial % 2 == 0 ? 0f : 1e-3f)))
                .OrderBy(_ => random.Next()).ToList();
            queue.Reset(k);
            foreach (var (doc, score) in offers)
                queue.Offer(doc, score);
            var expected = offers.Where(o => o.Score > 0).OrderByDescending(o => o.Score).ThenBy(o => o.Doc).Take(k).ToList();
            Assert.Equal(expected, queue.ToSortedArray().Select(h => (h.Doc, h.Score)).ToList());
        }
    }
}
