using System.Runtime.Intrinsics.X86;

namespace Disco.Index.Tests;

/// <summary>
/// The second pass of approximate search over a segment, eight postings at a time (AVX2), against
/// the one-at-a-time loop: the same postings kept, in the same order, and the same stopping place,
/// for every length around the vector width, every stopping point and random accumulators (0 for
/// untouched documents, positive sums for touched ones).
/// </summary>
public sealed unsafe class TouchedPostingsKernelTests
{
    [Fact]
    public void The_vector_pass_keeps_the_postings_the_scalar_pass_keeps_and_stops_where_it_stops()
    {
        Assert.True(Avx2.IsSupported, "this machine has no AVX2: the vector kernel is not exercised");
        var random = new Random(16);
        var acc = GC.AllocateArray<float>(1 << 16, pinned: true);
        var compress = CandidateSearch.CompressLanes;
        var cases = 0;
        for (var trial = 0; trial < 4000; trial++)
        {
            // A segment: decreasing impacts (ties too), offsets anywhere in the range.
            var length = random.Next(0, 41);
            var postings = new uint[length + 8];
            var impact = random.Next(1, 70_000) & 0xFFFF;
            for (var i = 0; i < length; i++)
            {
                postings[i] = ((uint)impact << 16) | (uint)random.Next(0, 1 << 16);
                impact = Math.Max(0, impact - random.Next(0, 3));
            }
            // Past the segment: postings the kernels must not take (large impacts, every document touched).
            for (var i = length; i < postings.Length; i++)
                postings[i] = 0xFFFF0000u | (uint)random.Next(0, 1 << 16);
            // Touched documents hold a positive sum: tiny (a subnormal, whose bits are small but not 0) to large.
            var density = random.NextDouble();
            for (var d = 0; d < acc.Length; d++)
                acc[d] = random.NextDouble() < density ? Touched(random) : 0f;
            foreach (var post in postings.Take(length).Select(p => (int)(p & 0xFFFF)))
                acc[post] = random.Next(4) == 0 ? Touched(random) : acc[post];
            foreach (var post in postings.Skip(length).Select(p => (int)(p & 0xFFFF)))
                acc[post] = Touched(random);
            var min = random.Next(5) switch
            {
                0 => 0,
                1 => 70_000,
                _ => length == 0 ? 1 : (int)(postings[random.Next(length)] >> 16) + random.Next(-1, 2),
            };
            var expected = new uint[length + 8];
            var actual = new uint[length + 16];
            fixed (uint* p = postings)
            fixed (float* f = acc)
            fixed (byte* c = compress)
            fixed (uint* e = expected)
            fixed (uint* a = actual)
            {
                var start = (AnnHead*)p;
                var stop = start + length;
                var expectedCount = 0;
                var m = (int*)f;
                var expectedEnd = CandidateSearch.TouchedScalar(start, stop, min, m, e, ref expectedCount);
                var actualCount = 0;
                var actualEnd = CandidateSearch.TouchedAvx2(start, stop, min, m, c, a, ref actualCount);
                actualEnd = CandidateSearch.TouchedScalar(actualEnd, stop, min, m, a, ref actualCount);
                Assert.True(expectedEnd == actualEnd, $"trial {trial}: stopped at {actualEnd - start}, expected {expectedEnd - start}");
                Assert.Equal(expected.AsSpan(0, expectedCount).ToArray(), actual.AsSpan(0, actualCount).ToArray());
                // The oracle of both: the postings down to the first below min, of touched documents.
                var reached = postings.Take(length).TakeWhile(p => (int)(p >> 16) >= min).ToArray();
                Assert.Equal(reached.Length, (int)(expectedEnd - start));
                Assert.Equal(reached.Where(p => acc[(int)(p & 0xFFFF)] != 0f).ToArray(), expected.AsSpan(0, expectedCount).ToArray());
                cases += expectedCount > 0 && expectedEnd - start >= 8 ? 1 : 0;
            }
        }
        // Enough trials where the vector loop itself kept postings.
        Assert.True(cases > 500, $"{cases} trials kept postings from the vector loop");
    }

    private static float Touched(Random random) => random.Next(8) == 0 ? float.Epsilon * random.Next(1, 100) : (float)(random.NextDouble() * 100) + 1e-3f;
}
