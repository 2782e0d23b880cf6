using System.Runtime.Intrinsics.X86;

namespace Disco.Index.Tests;

/// <summary>
/// Approximate search's re-scoring of one forward record through the query's term filter
/// (AVX2), against the scoring contract written out one term at a time: the query weight times
/// the impact as every reader decodes it, added in term order. Bit-identical scores for every
/// impact width, record lengths around the sixteen-id block, ids anywhere in 16 bits, and records
/// full of ids that share the filter bit of a query term without being one.
/// </summary>
public sealed unsafe class RecordScoringKernelTests
{
    [Fact]
    public void The_filtered_record_score_is_the_term_by_term_score_bit_for_bit()
    {
        Assert.True(Avx2.IsSupported, "this machine has no AVX2: the vector kernel is not exercised");
        var random = new Random(10);
        var weights = GC.AllocateArray<float>(1 << 16, pinned: true);
        var filter = GC.AllocateArray<byte>(CandidateSearch.TermFilterBytes, pinned: true);
        var compress = CandidateSearch.CompressLanes;
        var aliased = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            // The query: 0 to 120 distinct term ids, some of them below 512 (no high bits), positive weights.
            var terms = Enumerable.Range(0, random.Next(0, 121))
                .Select(_ => random.Next(3) == 0 ? random.Next(512) : random.Next(1 << 16))
                .Distinct().Order().ToArray();
            Array.Clear(weights);
            foreach (var t in terms)
                weights[t] = (float)(random.NextDouble() * 4) + 1e-4f;
            Array.Clear(filter);
            fixed (byte* f = filter)
                CandidateSearch.TermFilter(terms, f);

            // The record: increasing distinct ids, drawn from the query's terms, from ids that share
            // a query term's filter bit (same id mod 512) and from anywhere.
            var n = random.Next(5) == 0 ? random.Next(0, 40) : random.Next(0, 400);
            var ids = new HashSet<int>();
            while (ids.Count < n)
            {
                var id = random.Next(3) switch
                {
                    0 when terms.Length > 0 => terms[random.Next(terms.Length)],
                    1 when terms.Length > 0 => ((terms[random.Next(terms.Length)] & 0x1FF) | (random.Next(128) << 9)) & 0xFFFF,
                    _ => random.Next(1 << 16),
                };
                ids.Add(id);
            }
            var record = ids.Order().Select(i => (ushort)i).ToArray();
            aliased += record.Count(i => weights[i] == 0 && terms.Any(t => (t & 0x1FF) == (i & 0x1FF)));

            var scale = (float)(random.NextDouble() * 0.01) + 1e-5f;
            var impacts = new byte[(4 * n) + 4];
            random.NextBytes(impacts);
            var floats = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 3)).ToArray();
            Buffer.BlockCopy(floats, 0, impacts, 0, 4 * n);

            var hits = new int[n + 16];
            var products = new float[n + 8];
            fixed (ushort* r = record)
            fixed (byte* im = impacts)
            fixed (float* w = weights)
            fixed (byte* f = filter)
            fixed (byte* c = compress)
            fixed (int* h = hits)
            fixed (float* pr = products)
            {
                Assert.Equal(Bits(Expected<Float32Impacts>(record, im, weights, scale)), Bits(CandidateSearch.ScoreRecord<Float32Impacts>(r, im, n, w, f, c, h, pr, scale)));
                Assert.Equal(Bits(Expected<UInt16Impacts>(record, im, weights, scale)), Bits(CandidateSearch.ScoreRecord<UInt16Impacts>(r, im, n, w, f, c, h, pr, scale)));
                Assert.Equal(Bits(Expected<UInt8Impacts>(record, im, weights, scale)), Bits(CandidateSearch.ScoreRecord<UInt8Impacts>(r, im, n, w, f, c, h, pr, scale)));
            }
        }
        // The filter's false positives were exercised, not only its exact matches.
        Assert.True(aliased > 10_000, $"only {aliased} aliased ids");
    }

    private static int Bits(float score) => BitConverter.SingleToInt32Bits(score);

    /// <summary>The scoring contract: every query term of the record, weight × decoded impact, in term order.</summary>
    private static float Expected<TImpacts>(ushort[] record, byte* impacts, float[] weights, float scale)
        where TImpacts : struct, IImpactWidth
    {
        var score = 0f;
        for (var j = 0; j < record.Length; j++)
        {
            var qw = weights[record[j]];
            if (qw != 0)
                score += qw * TImpacts.Read(impacts, j, scale);
        }
        return score;
    }
}
