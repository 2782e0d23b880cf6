using System.Diagnostics;

namespace Disco.Index.Bench;

/// <summary>
/// Unit costs of a Seismic-style search, to turn a prototype's work counts into a time
/// (docs/benchmarks.md, "Seismic-style blocks with summary vectors"): a summary's dot product with
/// the query per component (uint16 term, 8-bit value, the query as a dense array), and exact scoring
/// of forward records (uint16 terms and float32 weights, 140 a record, an 840 MB array like c1m's)
/// in runs of 16 adjacent records or at random places. Best of 200 repetitions of each, so
/// preemption on a loaded machine drops out; cache misses stay, since every read starts at a random place.
/// </summary>
internal static class SeismicUnitCost
{
    public static void Run()
    {
        const int vocabulary = 30522, summaries = 200_000, components = 300, documents = 1_000_000, length = 140;
        var rng = new Random(1);
        var query = new float[vocabulary];
        for (var i = 0; i < 40; i++)
            query[rng.Next(vocabulary)] = (float)rng.NextDouble();
        var summaryTerms = new ushort[(long)summaries * components];
        var summaryValues = new byte[summaryTerms.Length];
        for (long i = 0; i < summaryTerms.Length; i++)
        {
            summaryTerms[i] = (ushort)rng.Next(vocabulary);
            summaryValues[i] = (byte)rng.Next(256);
        }
        for (var s = 0; s < summaries; s++)
            Array.Sort(summaryTerms, s * components, components);
        var terms = new ushort[(long)documents * length];
        var weights = new float[terms.Length];
        for (long i = 0; i < terms.Length; i++)
        {
            terms[i] = (ushort)rng.Next(vocabulary);
            weights[i] = 1f;
        }
        double component = double.MaxValue, adjacent = double.MaxValue, random = double.MaxValue;
        var sink = 0f;
        float Score(int d)
        {
            var s = 0f;
            for (long j = (long)d * length, end = j + length; j < end; j++)
                s += query[terms[j]] * weights[j];
            return s;
        }
        for (var rep = 0; rep < 200; rep++)
        {
            var clock = Stopwatch.StartNew();
            for (var k = 0; k < 150; k++)
            {
                // Two sums, as a tuned loop would keep, so the adds do not chain.
                long b = (long)rng.Next(summaries) * components;
                float a0 = 0, a1 = 0;
                for (var c = 0; c < components; c += 2)
                {
                    a0 += query[summaryTerms[b + c]] * summaryValues[b + c];
                    a1 += query[summaryTerms[b + c + 1]] * summaryValues[b + c + 1];
                }
                sink += a0 + a1;
            }
            component = Math.Min(component, clock.Elapsed.TotalMilliseconds * 1e6 / (150.0 * components));
            clock.Restart();
            for (var k = 0; k < 20; k++)
            {
                var first = rng.Next(documents - 16);
                for (var d = first; d < first + 16; d++)
                    sink += Score(d);
            }
            adjacent = Math.Min(adjacent, clock.Elapsed.TotalMilliseconds * 1e3 / 320.0);
            clock.Restart();
            for (var k = 0; k < 320; k++)
                sink += Score(rng.Next(documents));
            random = Math.Min(random, clock.Elapsed.TotalMilliseconds * 1e3 / 320.0);
        }
        Console.WriteLine($"summary component {component:F2} ns; adjacent record {adjacent:F3} us; random record {random:F3} us (checksum {sink:G3})");
    }
}
