using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Disco.Index;

/// <summary>
/// Exhaustive term-at-a-time scoring, one document range at a time (see
/// <see cref="SearchAlgorithm.TermAtATime"/>). SPLADE's reference scatters into one accumulator
/// of N floats per query (103 MB at 25.7M passages, far beyond cache). Here blocks never cross a
/// range and store each document as its 16-bit offset in the range (docs/index-format.md), so
/// every posting is one load of impact and offset and one add into a 256 KB accumulator that stays
/// in L2: nothing is decoded, and the per-thread state does not grow with the collection.
/// </summary>
internal static unsafe class TermAtATime
{
    /// <summary>Bytes of a full float32 block (128 impacts and offsets): the prefetch distance unit.</summary>
    private const int MaxBlockBytes = IndexFormat.BlockSize * (4 + IndexFormat.DocBytes);

    public static void Run(SearchQuery query, SearchScratch scratch, SparseIndex index, int k)
    {
        switch (index.Encoding)
        {
            case ImpactEncoding.Float32:
                Run<Float32Impacts>(query, scratch, index, k);
                break;
            case ImpactEncoding.UInt16:
                Run<UInt16Impacts>(query, scratch, index, k);
                break;
            default:
                Run<UInt8Impacts>(query, scratch, index, k);
                break;
        }
    }

    // Specialized per impact width (the JIT compiles one body per struct type argument), so the
    // scatter loop has no per-block dispatch on the encoding.
    private static void Run<TImpacts>(SearchQuery query, SearchScratch scratch, SparseIndex index, int k)
        where TImpacts : struct, IImpactWidth
    {
        if (!scratch.Begin(query, k))
            return;
        var n = query.Count;
        var (next, end) = scratch.BlockCursors(n);
        for (var t = 0; t < n; t++)
        {
            next[t] = index.FirstBlock(query.Terms[t]);
            end[t] = next[t] + index.BlockCount(query.Terms[t]);
        }
        var blocks = index.BlockEntries;
        var bits = index.RangeBits;
        var size = 1 << bits;
        var documentCount = index.DocumentCount;
        var scale = index.Scale;
        var lookup = typeof(TImpacts) == typeof(UInt8Impacts) ? scratch.ImpactLookup(query, scale) : null;
        fixed (float* acc = scratch.Accumulator)
        fixed (float* table = lookup)
        {
            while (true)
            {
                var range = int.MaxValue;
                for (var t = 0; t < n; t++)
                {
                    if (next[t] < end[t])
                        range = Math.Min(range, blocks[next[t]].LastDoc >> bits);
                }
                if (range == int.MaxValue)
                    break;
                var lo = range << bits;
                if ((uint)lo >= (uint)documentCount)
                    throw index.Corrupt($"a block ends past the last document ({documentCount})");
                // Start every term's stream in this range at once, so their first lines arrive together.
                for (var t = 0; t < n; t++)
                {
                    if (next[t] < end[t])
                        index.Prefetch(blocks[next[t]].Offset, 2 * MaxBlockBytes);
                }
                for (var t = 0; t < n; t++)
                {
                    var b = next[t];
                    var stop = end[t];
                    var weight = query.Weights[t];
                    var termTable = table + (t << 8);
                    for (; b < stop && blocks[b].LastDoc >> bits == range; b++)
                    {
                        var count = index.BlockLength(b, out var p);
                        var bytes = blocks[b + 1].Offset - blocks[b].Offset;
                        var offsets = (ushort*)(p + (count * TImpacts.Bytes));
                        // Offsets are masked to the range, so even a damaged block cannot write
                        // outside the accumulator; the last one must match the block table.
                        if (offsets[count - 1] != (blocks[b].LastDoc & (size - 1)))
                            throw index.Corrupt($"block {b} decodes to invalid document ids");
                        // A term's blocks follow each other in postings.bin: fetch the one after next.
                        index.Prefetch(blocks[b].Offset + (2 * bytes), bytes);
                        Scatter<TImpacts>(acc, p, offsets, count, size - 1, weight, scale, termTable);
                    }
                    next[t] = b;
                }
                Collect(acc, lo, size, Math.Min(size, documentCount - lo), scratch.Queue, scratch.Histogram);
            }
        }
    }

    /// <summary>Adds one block's contributions <c>weight × impact</c> into the range accumulator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<TImpacts>(float* acc, byte* p, ushort* offsets, int n, int mask, float weight, float scale, float* table)
        where TImpacts : struct, IImpactWidth
    {
        if (typeof(TImpacts) == typeof(Float32Impacts))
        {
            if (mask == ushort.MaxValue)
            {
                // Full 16-bit ranges: every offset is in range, no mask needed.
                ScatterFloat32(acc, (float*)p, offsets, n, weight);
            }
            else
            {
                var impacts = (float*)p;
                for (var i = 0; i < n; i++)
                    acc[offsets[i] & mask] += weight * impacts[i];
            }
        }
        else if (typeof(TImpacts) == typeof(UInt16Impacts))
        {
            var codes = (ushort*)p;
            for (var i = 0; i < n; i++)
                acc[offsets[i] & mask] += weight * ImpactCodec.Decode(codes[i], scale);
        }
        else
        {
            // 8-bit codes: per-term table of weight × (code × scale), as the other algorithms compute it.
            for (var i = 0; i < n; i++)
                acc[offsets[i] & mask] += table[p[i]];
        }
    }

    /// <summary>
    /// The float32 scatter of a full-range block: <c>acc[offset] += weight × impact</c> per posting
    /// (a product, then a sum: the canonical order, never fused). Its own method so the loop keeps
    /// the accumulator, weight and cursors in registers (inlined into the range loop, the JIT
    /// spilled them and reloaded them every four postings), with native-width indices.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScatterFloat32(float* acc, float* impacts, ushort* offsets, nint n, float weight)
    {
        nint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            nuint d0 = offsets[i], d1 = offsets[i + 1], d2 = offsets[i + 2], d3 = offsets[i + 3];
            float c0 = weight * impacts[i], c1 = weight * impacts[i + 1], c2 = weight * impacts[i + 2], c3 = weight * impacts[i + 3];
            acc[d0] += c0;
            acc[d1] += c1;
            acc[d2] += c2;
            acc[d3] += c3;
        }
        for (; i < n; i++)
            acc[offsets[i]] += weight * impacts[i];
    }

    /// <summary>
    /// Offers the accumulated scores of documents <c>[lo, lo + valid)</c> above the queue threshold
    /// and clears <c>acc[0, scan)</c>, rounded up to 32 floats (the accumulator is padded for it).
    /// While the queue is not full every positive score would enter it; for a large k a histogram
    /// pass first finds a cut-off that k scores of the range and the queue together reach, so the
    /// range costs about k queue operations instead of one per matching document.
    /// </summary>
    internal static void Collect(float* acc, int lo, int scan, int valid, TopKQueue queue, int[] histogram)
    {
        var end = (scan + 31) & ~31;
        // Offers need acc > bar; the queue itself decides ties, in increasing document order.
        var bar = queue.Threshold;
        if (queue.K - queue.Count >= 64)
        {
            // k of the union, not K - Count of the range: the queue's scores may be below the cut.
            var cut = ScoreSelection.Cutoff(acc, valid, queue.Scores, queue.K, histogram);
            if (cut > 0)
                bar = Math.Max(bar, MathF.BitDecrement(cut));
        }
        var barVector = Vector256.Create(bar);
        for (var i = 0; i < end; i += 32)
        {
            // MaxNative (vmaxps): Vector256.Max follows IEEE 754 maximum (NaN and signed zeros), seven
            // instructions each; neither matters to "is any score above the bar".
            var a = Vector256.Load(acc + i);
            var b = Vector256.Load(acc + i + 8);
            var c = Vector256.Load(acc + i + 16);
            var d = Vector256.Load(acc + i + 24);
            var m = Vector256.MaxNative(Vector256.MaxNative(a, b), Vector256.MaxNative(c, d));
            if (Vector256.GreaterThanAny(m, barVector))
            {
                for (var g = i; g < i + 32; g += 8)
                {
                    var hits = Vector256.GreaterThan(Vector256.Load(acc + g), barVector).ExtractMostSignificantBits();
                    while (hits != 0)
                    {
                        var j = g + BitOperations.TrailingZeroCount(hits);
                        hits &= hits - 1;
                        if (j < valid && acc[j] > bar && queue.Offer(lo + j, acc[j]) && queue.Threshold > bar)
                        {
                            bar = queue.Threshold;
                            barVector = Vector256.Create(bar);
                        }
                    }
                }
            }
            // Cleared while the lines are in L1, instead of a second pass over the range.
            Vector256<float>.Zero.Store(acc + i);
            Vector256<float>.Zero.Store(acc + i + 8);
            Vector256<float>.Zero.Store(acc + i + 16);
            Vector256<float>.Zero.Store(acc + i + 24);
        }
    }
}
