namespace Disco.Index.Tests;

/// <summary>The cut-off of approximate search's choice, from a histogram counted elsewhere, against the one-pass cut-off over the scores and a sort.</summary>
public sealed unsafe class ScoreSelectionTests
{
    [Fact]
    public void A_cutoff_from_counted_buckets_equals_the_cutoff_over_the_scores_and_lets_through_the_needed_ones()
    {
        var random = new Random(8);
        var histogram = new int[ScoreSelection.HistogramLength];
        for (var trial = 0; trial < 300; trial++)
        {
            var count = random.Next(1, 3000);
            // Scores over a few octaves, with many ties (quantized contributions tie often).
            var scores = Enumerable.Range(0, count).Select(_ => random.Next(3) == 0 ? 1.5f * (1 + random.Next(4)) : (float)(random.NextDouble() * Math.Pow(2, random.Next(-3, 6)))).Where(s => s > 0).ToArray();
            var counts = new int[ScoreSelection.Buckets];
            foreach (var s in scores)
                counts[BitConverter.SingleToInt32Bits(s) >> ScoreSelection.BucketShift]++;
            var needed = random.Next(1, scores.Length + 1);
            float expected;
            fixed (float* p = scores)
                expected = ScoreSelection.Cutoff(p, scores.Length, [], needed, histogram);
            var cut = ScoreSelection.Cutoff(counts, needed);
            Assert.Equal(expected, cut);
            // At least `needed` reach the cut, and every one of the `needed` best does.
            Assert.True(scores.Count(s => s >= cut) >= needed);
            Assert.True(scores.OrderDescending().ElementAt(needed - 1) >= cut);
            // Started at the highest bucket counted, the scan finds the same cut; started lower
            // (a bound that is too low), a cut no higher, still reached by the needed best.
            var highest = BitConverter.SingleToInt32Bits(scores.Max()) >> ScoreSelection.BucketShift;
            Assert.Equal(expected, ScoreSelection.Cutoff(counts, needed, highest));
            var low = ScoreSelection.Cutoff(counts, needed, highest - random.Next(1, 20));
            Assert.True(low <= cut);
            Assert.True(scores.OrderDescending().ElementAt(needed - 1) >= low);
        }
    }
}
