using System.Numerics;

namespace Disco.Index;

/// <summary>
/// Exhaustive term-at-a-time scoring over cache-sized document ranges (see
/// <see cref="SearchAlgorithm.TermAtATime"/>). SPLADE's reference scatters into one accumulator
/// of N floats per query (103 MB at 25.7M passages, far beyond cache); ranges keep the scatter in
/// L2 and the accumulator per thread small.
/// </summary>
internal static unsafe class TermAtATime
{
    public static void Run(SearchQuery query, SearchScratch scratch, int k, int documentCount)
    {
        var queue = scratch.Queue;
        queue.Reset(k);
        if (query.Count == 0 || k <= 0)
            return;
        var cursors = scratch.Cursors(query);
        var range = scratch.RangeSize;
        fixed (float* acc = scratch.Accumulator)
        {
            while (true)
            {
                var lo = int.MaxValue;
                foreach (var c in cursors)
                    lo = Math.Min(lo, c.Doc);
                if (lo == int.MaxValue)
                    break;
                // Ranges are aligned to the range size so their starts are deterministic.
                lo -= lo % range;
                var hi = (int)Math.Min((long)lo + range, int.MaxValue);
                for (var t = 0; t < cursors.Length; t++)
                    cursors[t].Accumulate(acc, lo, hi, query.Weights[t]);
                Collect(acc, lo, Math.Min(hi, documentCount) - lo, queue);
            }
        }
    }

    /// <summary>Moves accumulated scores above the queue threshold into the queue and clears the accumulator.</summary>
    internal static void Collect(float* acc, int lo, int length, TopKQueue queue)
    {
        var width = Vector<float>.Count;
        var threshold = new Vector<float>(queue.Threshold);
        for (var i = 0; i < length; i += width)
        {
            var v = *(Vector<float>*)(acc + i);
            if (v == Vector<float>.Zero)
                continue;
            if (Vector.GreaterThanAny(v, threshold))
            {
                for (var j = 0; j < width; j++)
                {
                    if (queue.Offer(lo + i + j, acc[i + j]))
                        threshold = new Vector<float>(queue.Threshold);
                }
            }
            *(Vector<float>*)(acc + i) = Vector<float>.Zero;
        }
    }
}
