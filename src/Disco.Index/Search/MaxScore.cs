using System.Numerics;

namespace Disco.Index;

/// <summary>
/// MaxScore over document ranges (see <see cref="SearchAlgorithm.MaxScore"/>). Per range, the
/// essential terms are accumulated in canonical order; when every term is essential the
/// accumulator already holds the exact score, otherwise documents that pass the bound are
/// re-scored exactly by probing every term in canonical order, so scores are bit-identical to
/// <see cref="TermAtATime"/>. Bounds go through <see cref="TopKQueue.WouldEnter"/>, so pruning
/// never drops a document the exhaustive algorithm keeps. The first
/// ranges are small so that the k-th score, and with it pruning, rises early.
/// </summary>
internal static unsafe class MaxScore
{
    private const int FirstRange = 4096;

    /// <summary>More than one candidate per this many documents of a range counts as dense.</summary>
    private const int DenseCandidates = 64;
    private const int ExhaustiveRangesAfterDense = 16;

    public static void Run(SearchQuery query, SearchScratch scratch, SparseIndex index, int k)
    {
        if (!scratch.Begin(query, k))
            return;
        var queue = scratch.Queue;
        var n = query.Count;
        var cursors = scratch.Cursors(query);
        var probes = scratch.Probes(query);
        var bounds = new TermBounds(query, index);
        var byBound = bounds.ByBound;
        var essential = new bool[n];
        var range = scratch.RangeSize;
        var documentCount = index.DocumentCount;
        var lo = 0;
        var size = Math.Min(FirstRange, range);
        var exhaustiveRanges = 0;
        fixed (float* acc = scratch.Accumulator)
        {
            while (lo < documentCount)
            {
                var nonEssential = bounds.NonEssential(queue);
                if (nonEssential == n)
                    break;
                // Where pruning recently let through many candidates, probing them costs more than
                // scanning every list: score the next ranges exhaustively, then try pruning again.
                if (exhaustiveRanges > 0)
                {
                    exhaustiveRanges--;
                    nonEssential = 0;
                }
                for (var i = 0; i < n; i++)
                    essential[byBound[i]] = i >= nonEssential;
                // Skip to the next document any essential term holds.
                var next = int.MaxValue;
                for (var t = 0; t < n; t++)
                {
                    if (essential[t])
                        next = Math.Min(next, cursors[t].Doc);
                }
                if (next == int.MaxValue)
                    break;
                lo = Math.Max(lo, next);
                var hi = (int)Math.Min(Math.Min((long)lo + size, documentCount), int.MaxValue);
                for (var t = 0; t < n; t++)
                {
                    if (essential[t])
                    {
                        cursors[t].NextGeq(lo);
                        cursors[t].Accumulate(acc, lo, hi, query.Weights[t]);
                    }
                }
                if (nonEssential == 0)
                    TermAtATime.Collect(acc, lo, hi - lo, hi - lo, queue, scratch.Histogram);
                else if (Rescore(acc, lo, hi - lo, bounds, essential, nonEssential, queue, query, probes, scratch.Slots) > (hi - lo) / DenseCandidates)
                    exhaustiveRanges = ExhaustiveRangesAfterDense;
                lo = hi;
                size = Math.Min(size * 2, range);
            }
        }
    }

    /// <summary>
    /// Documents whose partial score plus the non-essential bound may enter the top k probe the
    /// non-essential terms in decreasing bound order, dropping out as soon as the bound of what is
    /// left cannot reach the k-th score; survivors are scored exactly in canonical order.
    /// </summary>
    /// <returns>The number of candidates probed.</returns>
    private static int Rescore(float* acc, int lo, int length, TermBounds terms, bool[] essential, int nonEssential, TopKQueue queue, SearchQuery query, PostingCursor[] probes, float[] slots)
    {
        var width = Vector<float>.Count;
        var rest = terms.Prefix[nonEssential - 1];
        var cutoff = new Vector<float>(queue.PartialCutoff(rest));
        var candidates = 0;
        for (var i = 0; i < length; i += width)
        {
            var v = *(Vector<float>*)(acc + i);
            if (v == Vector<float>.Zero)
                continue;
            if (Vector.GreaterThanAny(v, cutoff))
            {
                for (var j = 0; j < width; j++)
                {
                    var partial = acc[i + j];
                    if (partial <= 0 || !queue.WouldEnter(partial + rest))
                        continue;
                    var doc = lo + i + j;
                    candidates++;
                    var dropped = false;
                    for (var b = nonEssential - 1; b >= 0; b--)
                    {
                        if (!queue.WouldEnter(partial + terms.Prefix[b]))
                        {
                            dropped = true;
                            break;
                        }
                        var t = terms.ByBound[b];
                        var p = probes[t];
                        p.NextGeq(doc);
                        var c = p.Doc == doc ? query.Weights[t] * p.Impact : 0f;
                        slots[t] = c;
                        partial += c;
                    }
                    var score = 0f;
                    for (var t = 0; t < probes.Length; t++)
                    {
                        var c = slots[t];
                        slots[t] = 0f;
                        if (dropped || !essential[t])
                        {
                            score += c;
                            continue;
                        }
                        var p = probes[t];
                        p.NextGeq(doc);
                        if (p.Doc == doc)
                            score += query.Weights[t] * p.Impact;
                    }
                    if (!dropped && queue.Offer(doc, score))
                        cutoff = new Vector<float>(queue.PartialCutoff(rest));
                }
            }
            *(Vector<float>*)(acc + i) = Vector<float>.Zero;
        }
        return candidates;
    }
}
