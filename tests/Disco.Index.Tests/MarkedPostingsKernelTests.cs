using System.Runtime.Intrinsics.X86;

namespace Disco.Index.Tests;

/// <summary>
/// The second pass of approximate search over a segment, eight postings at a time (AVX2), against
/// the one-at-a-time loop: the same postings kept, in the same order, and the same stopping place,
/// for every length around the vector width, every stopping point and random marks.
/// </summary>
public sealed unsafe class MarkedPostingsKernelTests
{
    [Fact]
    public void The_vector_pass_keeps_the_postings_the_scalar_pass_keeps_and_stops_where_it_stops()
    {
        Assert.True(Avx2.IsSupported, "this machine has no AVX2: the vector kernel is not exercised");
        var random = new Random(16);
        var marks = GC.AllocateArray<ulong>(1 << 10, pinned: true);
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
            // Past the segment: postings the kernels must not take (large impacts, every document marked).
            for (var i = length; i < postings.Length; i++)
                postings[i] = 0xFFFF0000u | (uint)random.Next(0, 1 << 16);
            var density = random.NextDouble();
            for (var w = 0; w < marks.Length; w++)
            {
                ulong word = 0;
                for (var b = 0; b < 64; b++)
                    word |= random.NextDouble() < density ? 1UL << b : 0;
                marks[w] = word;
            }
            foreach (var post in postings.Take(length).Select(p => (uint)p & 0xFFFF))
                marks[post >> 6] |= random.Next(4) == 0 ? 1UL << (int)post : 0;
            var min = random.Next(5) switch
            {
                0 => 0,
                1 => 70_000,
                _ => length == 0 ? 1 : (int)(postings[random.Next(length)] >> 16) + random.Next(-1, 2),
            };
            var expected = new uint[length + 8];
            var actual = new uint[length + 16];
            fixed (uint* p = postings)
            fixed (ulong* m = marks)
            fixed (byte* c = compress)
            fixed (uint* e = expected)
            fixed (uint* a = actual)
            {
                var start = (AnnHead*)p;
                var stop = start + length;
                var expectedCount = 0;
                var expectedEnd = CandidateSearch.MarkedScalar(start, stop, min, m, e, ref expectedCount);
                var actualCount = 0;
                var actualEnd = CandidateSearch.MarkedAvx2(start, stop, min, m, c, a, ref actualCount);
                actualEnd = CandidateSearch.MarkedScalar(actualEnd, stop, min, m, a, ref actualCount);
                Assert.True(expectedEnd == actualEnd, $"trial {trial}: stopped at {actualEnd - start}, expected {expectedEnd - start}");
                Assert.Equal(expected.AsSpan(0, expectedCount).ToArray(), actual.AsSpan(0, actualCount).ToArray());
                cases += expectedCount > 0 && expectedEnd - start >= 8 ? 1 : 0;
            }
        }
        // Enough trials where the vector loop itself kept postings.
        Assert.True(cases > 500, $"{cases} trials kept postings from the vector loop");
    }
}
