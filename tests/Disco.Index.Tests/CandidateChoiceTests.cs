namespace Disco.Index.Tests;

/// <summary>
/// Approximate search's choice of candidates against a sort: the budget best partial scores (ties:
/// the earlier document), in increasing document order; also when the histogram's scan starts
/// below a counted bucket (a bound that was too low), and when every document fits the budget.
/// </summary>
public sealed unsafe class CandidateChoiceTests
{
    [Fact]
    public void The_choice_is_the_budget_best_partial_scores_in_document_order()
    {
        var random = new Random(9);
        var checkedSplit = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            var touched = random.Next(1, 2500);
            var docs = Enumerable.Range(0, 1 << 20).OrderBy(_ => random.Next()).Take(touched).ToArray();
            // Scores over a few octaves with many ties, within one bucket too.
            var scores = Enumerable.Range(0, touched).Select(_ => random.Next(3) == 0
                ? 1.5f * (1 + random.Next(4))
                : (float)(random.NextDouble() * Math.Pow(2, random.Next(-3, 6))) + float.Epsilon).ToArray();
            var buckets = new int[ScoreSelection.Buckets];
            foreach (var s in scores)
                buckets[BitConverter.SingleToInt32Bits(s) >> ScoreSelection.BucketShift]++;
            var budget = random.Next(1, touched + 50);
            var highest = BitConverter.SingleToInt32Bits(scores.Max()) >> ScoreSelection.BucketShift;
            // The bound the search passes is at or above the highest bucket; sometimes too low.
            var top = random.Next(4) switch
            {
                0 => ScoreSelection.Buckets - 1,
                1 => highest - random.Next(1, 8),
                _ => highest + random.Next(0, 2),
            };
            var expected = Enumerable.Range(0, touched)
                .OrderByDescending(i => scores[i]).ThenBy(i => docs[i]).Take(budget)
                .Select(i => docs[i]).Order().ToArray();
            var keys = new ulong[touched];
            var chosen = new int[Math.Min(touched, budget)];
            int n;
            fixed (int* d = docs)
            fixed (float* p = scores)
                n = CandidateSearch.Choose(d, p, touched, budget, buckets, top, keys, chosen);
            Assert.Equal(expected, chosen.Take(n).ToArray());
            checkedSplit += touched > budget && top >= highest ? 1 : 0;
        }
        Assert.True(checkedSplit > 100, $"{checkedSplit} trials chose from more documents than the budget with a true bound");
    }
}
