using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Disco.Index;

/// <summary>
/// Search over the block-max structures (<see cref="BlockMaxIndex"/>). Every block gets an upper
/// bound of its documents' scores, <c>Σ_t w_t × max_t(block)</c>, summed over the query's terms
/// (dense rows in a vector loop, rare terms scattered). Exact: the blocks of highest bound are
/// scored first, which sets the k-th score; then every block whose bound can still reach it is
/// scored, and no other document can enter the top k. Approximate: only the blocks of highest
/// bound, up to a budget. A block is scored in full (every query term's postings in it, added in
/// the canonical term order), so every score is the exact dot product.
/// </summary>
internal static unsafe class BlockMaxSearch
{
    /// <summary>Blocks of highest bound scored first by exact search, to set the k-th score.</summary>
    public const int FirstBlocks = 16;

    /// <summary>Blocks scored at a time (their accumulators stay in L1/L2); the k-th score is re-read between chunks.</summary>
    internal const int ChunkBlocks = 128;

    /// <summary>
    /// Exact block-max search. Gives up (returns false) when, after the first blocks, more than
    /// <paramref name="handOverFraction"/> of all blocks are left to score (<see cref="HandOverFraction"/>
    /// under <see cref="SearchAlgorithm.Auto"/>; infinity, never, when block-max is named): the
    /// caller then runs term-at-a-time, which starts a fresh queue, and its results are the same hit for hit.
    /// </summary>
    public static bool Exact(SearchQuery query, SearchScratch scratch, BlockMaxIndex bm, int k, double handOverFraction = double.PositiveInfinity)
    {
        if (!scratch.Begin(query, k))
            return true;
        var s = scratch.BlockMax(bm);
        var queue = scratch.Queue;
        fixed (float* bound = s.Bounds)
        fixed (int* ids = s.Blocks)
        {
            var n = FirstPhase(query, bm, k, s, queue, bound, ids);
            if (n > handOverFraction * bm.Blocks)
                return false;
            for (var from = 0; from < n; from += ChunkBlocks)
            {
                var c = 0;
                for (var j = from; j < Math.Min(n, from + ChunkBlocks); j++)
                {
                    if (queue.WouldEnter(bound[ids[j]]))
                        ids[from + c++] = ids[j];
                }
                Evaluate(query, bm, ids + from, c, s, queue);
            }
        }
        return true;
    }

    /// <summary>
    /// The bounds, then the first blocks scored (they set the k-th score); returns the number of
    /// blocks whose bound can still reach it, their ids in <paramref name="ids"/> (increasing).
    /// </summary>
    private static int FirstPhase(SearchQuery query, BlockMaxIndex bm, int k, BlockMaxScratch s, TopKQueue queue, float* bound, int* ids)
    {
        Bounds(query, bm, s, bound);
        // Enough blocks to fill the queue when their documents match (deep k needs more of them).
        var m = SelectTop(bound, bm.Blocks, Math.Min(ChunkBlocks, Math.Max(FirstBlocks, (2 * k) >> bm.BlockBits)), ids, s);
        Evaluate(query, bm, ids, m, s, queue);
        for (var j = 0; j < m; j++)
            bound[ids[j]] = 0;
        // Every block whose bound can still reach the k-th score: ties included (WouldEnter's margin).
        return Above(bound, bm.Blocks, queue.Threshold / (queue.Margin * queue.Margin), ids);
    }

    /// <summary>
    /// For measurements (Disco.Index.Bench tail): the first phase of exact search, and the number of
    /// blocks left whose bound reaches the k-th score it set.
    /// </summary>
    internal static int BlocksLeft(SearchQuery query, SearchScratch scratch, BlockMaxIndex bm, int k)
    {
        if (!scratch.Begin(query, k))
            return 0;
        var s = scratch.BlockMax(bm);
        fixed (float* bound = s.Bounds)
        fixed (int* ids = s.Blocks)
        {
            return FirstPhase(query, bm, k, s, scratch.Queue, bound, ids);
        }
    }

    /// <summary>The query's postings in the whole index (term-at-a-time scans them all).</summary>
    internal static long QueryPostings(SearchQuery query, BlockMaxIndex bm)
    {
        long total = 0;
        for (var t = 0; t < query.Count; t++)
            total += bm.Terms[query.Terms[t]].PostingBytes / BlockMaxIndex.PostingBytesEach;
        return total;
    }

    /// <summary>
    /// The fraction of blocks left open above which exact block-max search hands a query over to
    /// term-at-a-time (under <see cref="SearchAlgorithm.Auto"/>). Measured per query on the
    /// clustered 1M collection, reordered (thread CPU time, docs/benchmarks.md "Block-max's long
    /// tail"): the fraction left predicts block-max's time over term-at-a-time's best of the cheap
    /// quantities (correlation 0.74 with the log of the ratio at k=10, 0.86 at k=100; the query's
    /// postings 0.56 and -0.12); block-max is faster on median below 5% (ratio 0.36 under 2%, 0.78 at
    /// 2-5%) and slower above (1.25 at 5-10%, 1.47 at 10-20%). A query handed over has paid for the
    /// bounds and the first blocks (0.17-0.21 ms median, measured), so the cut sits a little above the
    /// break-even (5-8% best by simulation on the per-query times at k=10 and 32).
    /// </summary>
    internal const double HandOverFraction = 0.06;

    /// <summary>Scores the <paramref name="budget"/> blocks of highest bound.</summary>
    public static void Approximate(SearchQuery query, SearchScratch scratch, BlockMaxIndex bm, int k, int budget)
    {
        if (!scratch.Begin(query, k))
            return;
        var s = scratch.BlockMax(bm);
        fixed (float* bound = s.Bounds)
        fixed (int* ids = s.Blocks)
        {
            Bounds(query, bm, s, bound);
            var m = SelectTop(bound, bm.Blocks, (int)Math.Min(budget, bm.Blocks), ids, s);
            for (var from = 0; from < m; from += ChunkBlocks)
                Evaluate(query, bm, ids + from, Math.Min(ChunkBlocks, m - from), s, scratch.Queue);
        }
    }

    /// <summary>
    /// The blocks whose bound may exceed <paramref name="floor"/> (bound ≥ floor, positive), in
    /// increasing order; a vector scan. Returns their number.
    /// </summary>
    private static int Above(float* bound, int blocks, float floor, int* ids)
    {
        var n = 0;
        var b = 0;
        var x = Math.Max(floor, float.Epsilon);
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(x);
            for (; b + 8 <= blocks; b += 8)
            {
                var bits = Vector256.GreaterThanOrEqual(Vector256.Load(bound + b), v).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    ids[n++] = b + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }
        for (; b < blocks; b++)
        {
            if (bound[b] >= x)
                ids[n++] = b;
        }
        return n;
    }

    /// <summary>
    /// Every block's upper bound: the rare terms' (block, maximum) entries scattered, the dense
    /// rows added in a vector loop (8 blocks per instruction, 32 per tile kept in registers across the rows).
    /// </summary>
    private static void Bounds(SearchQuery query, BlockMaxIndex bm, BlockMaxScratch s, float* bound)
    {
        var padded = bm.PaddedBlocks;
        var rows = 0;
        s.Prepare(query.Count);
        new Span<float>(bound, padded).Clear();
        for (var t = 0; t < query.Count; t++)
        {
            // Bounds run first in every search: from here on the term's rows and entries are checked.
            bm.EnsureTerm(query.Terms[t]);
            var e = bm.Terms[query.Terms[t]];
            var w = query.Weights[t] * e.Scale;
            if (e.DenseRow >= 0)
            {
                s.Rows[rows] = (nint)(bm.Dense + ((long)e.DenseRow * padded));
                s.RowScales[rows++] = w;
                continue;
            }
            var blocks = bm.RareBlocks + e.FirstEntry;
            var max = bm.RareMax + e.FirstEntry;
            for (var i = 0; i < e.Entries; i++)
                bound[blocks[i]] += w * max[i];
        }
        fixed (nint* rowPtrs = s.Rows)
        fixed (float* scales = s.RowScales)
        {
            AddRows(bound, padded, rowPtrs, scales, rows);
        }
    }

    /// <summary>
    /// Adds the dense rows into <c>into[0, count)</c> (count a multiple of 32): a tile of 32
    /// bounds stays in registers across all rows (eight blocks per instruction: widen the codes,
    /// convert, multiply-add). Measured against 64-block tiles and against four rows at a time
    /// over the whole array: both slower (docs/benchmarks.md).
    /// </summary>
    private static void AddRows(float* into, int count, nint* rowPtrs, float* scales, int rows)
    {
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            for (var tile = 0; tile < count; tile += 32)
            {
                var a0 = Vector256.Load(into + tile);
                var a1 = Vector256.Load(into + tile + 8);
                var a2 = Vector256.Load(into + tile + 16);
                var a3 = Vector256.Load(into + tile + 24);
                for (var r = 0; r < rows; r++)
                {
                    var p = (byte*)rowPtrs[r] + tile;
                    // Dozens of rows read side by side are more streams than the hardware prefetcher
                    // follows: each row's line a few tiles ahead is requested here (the bound array
                    // and rows are padded past the end for it; a prefetch never faults anyway).
                    if ((tile & 63) == 0)
                        Sse.Prefetch0(p + PrefetchBytes);
                    var w = Vector256.Create(scales[r]);
                    a0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p)), w, a0);
                    a1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p + 8)), w, a1);
                    a2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p + 16)), w, a2);
                    a3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p + 24)), w, a3);
                }
                a0.Store(into + tile);
                a1.Store(into + tile + 8);
                a2.Store(into + tile + 16);
                a3.Store(into + tile + 24);
            }
            return;
        }
        for (var r = 0; r < rows; r++)
        {
            var p = (byte*)rowPtrs[r];
            var w = scales[r];
            for (var i = 0; i < count; i++)
                into[i] += w * p[i];
        }
    }

    /// <summary>
    /// The <paramref name="m"/> blocks of highest positive bound (fewer if fewer are positive), in
    /// increasing block order. A heap of m fed with every bound costs many sift steps; instead a
    /// sample of every 8th bound gives a cut that about 2m blocks reach, and only those feed the heap
    /// (all blocks do when the sample's cut leaves fewer than m).
    /// </summary>
    private static int SelectTop(float* bound, int blocks, int m, int* ids, BlockMaxScratch s)
    {
        const int stride = 8;
        var heapScores = s.HeapScores(Math.Max(m, (m / stride * 2) + 8));
        var n = 0;
        var root = 0f;
        if ((long)m * 16 < blocks)
        {
            var r = (m / stride * 2) + 8;
            for (var b = 0; b < blocks; b += stride)
            {
                if (bound[b] > root)
                    Push(bound[b], b, heapScores, ids, ref n, r, ref root);
            }
            if (n == r)
            {
                var candidates = s.Candidates(blocks);
                fixed (int* c = candidates)
                {
                    var count = Above(bound, blocks, root, c);
                    if (count >= m)
                    {
                        n = 0;
                        root = 0f;
                        for (var i = 0; i < count; i++)
                        {
                            if (bound[c[i]] > root)
                                Push(bound[c[i]], c[i], heapScores, ids, ref n, m, ref root);
                        }
                        new Span<int>(ids, n).Sort();
                        return n;
                    }
                }
            }
            n = 0;
            root = 0f;
        }
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x + 8 <= blocks; x += 8)
            {
                var bits = Vector256.GreaterThan(Vector256.Load(bound + x), Vector256.Create(root)).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    var i = x + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    Push(bound[i], i, heapScores, ids, ref n, m, ref root);
                }
            }
        }
        for (; x < blocks; x++)
        {
            if (bound[x] > root)
                Push(bound[x], x, heapScores, ids, ref n, m, ref root);
        }
        new Span<int>(ids, n).Sort();
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Push(float score, int block, float[] heap, int* ids, ref int n, int m, ref float root)
    {
        if (score <= root)
            return;
        int i;
        if (n < m)
        {
            i = n++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (heap[parent] <= score)
                    break;
                heap[i] = heap[parent];
                ids[i] = ids[parent];
                i = parent;
            }
            heap[i] = score;
            ids[i] = block;
            if (n == m)
                root = heap[0];
            return;
        }
        i = 0;
        while (true)
        {
            var c = (2 * i) + 1;
            if (c >= n)
                break;
            if (c + 1 < n && heap[c + 1] < heap[c])
                c++;
            if (heap[c] >= score)
                break;
            heap[i] = heap[c];
            ids[i] = ids[c];
            i = c;
        }
        heap[i] = score;
        ids[i] = block;
        root = heap[0];
    }

    /// <summary>
    /// Scores every document of the blocks <paramref name="ids"/> (increasing) exactly and offers
    /// them to the queue: per query term in canonical order, its postings in each block are added
    /// (product, then sum, as every exact algorithm adds them). Two passes over the (term, block)
    /// entries: where each entry's postings are (a dense row's counts and group offset, or a rare
    /// term's term-relative entry offsets), then the postings, prefetched several entries ahead.
    /// </summary>
    private static void Evaluate(SearchQuery query, BlockMaxIndex bm, int* ids, int m, BlockMaxScratch s, TopKQueue queue)
    {
        if (m == 0)
            return;
        var bits = bm.BlockBits;
        var mask = (1 << bits) - 1;
        var padded = bm.PaddedBlocks;
        s.PrepareEntries(query.Count * m);
        fixed (float* acc = s.Accumulator)
        fixed (int* lengths = s.EntryCounts)
        fixed (long* starts = s.EntryStarts)
        fixed (int* slots = s.EntrySlots)
        fixed (float* weights = s.EntryWeights)
        {
            new Span<float>(acc, m << bits).Clear();
            var n = 0;
            for (var t = 0; t < query.Count; t++)
            {
                var e = bm.Terms[query.Terms[t]];
                if (e.Entries == 0)
                    continue;
                var w = query.Weights[t];
                if (e.DenseRow >= 0)
                {
                    var counts = bm.Counts + ((long)e.DenseRow * padded);
                    var groups = bm.Groups + ((long)e.DenseRow * (padded >> 6));
                    var start = e.PostingStart;
                    // Without a branch on whether the term is in the block (about as often as not: a
                    // branch mispredicted every other block): the entry is written either way and
                    // kept only when the term is there.
                    for (var j = 0; j < m; j++)
                    {
                        var b = ids[j];
                        int count = counts[b];
                        starts[n] = start + groups[b >> 6] + (BlockMaxIndex.PostingBytesEach * PrefixSum(counts + (b & ~63), b & 63));
                        lengths[n] = count;
                        slots[n] = j;
                        weights[n] = w;
                        n += count != 0 ? 1 : 0;
                    }
                }
                else
                {
                    var blocks = bm.RareBlocks + e.FirstEntry;
                    var offsets = bm.RareOffsets + e.FirstEntry;
                    var count = e.Entries;
                    var pos = 0;
                    for (var j = 0; j < m && pos < count; j++)
                    {
                        var b = ids[j];
                        // Lower bound of b in blocks[pos, count).
                        var lo = pos;
                        var hi = count;
                        while (lo < hi)
                        {
                            var mid = (int)((uint)(lo + hi) >> 1);
                            if (blocks[mid] < b)
                                lo = mid + 1;
                            else
                                hi = mid;
                        }
                        pos = lo;
                        if (pos < count && blocks[pos] == b)
                        {
                            var end = pos + 1 < count ? offsets[pos + 1] : e.PostingBytes;
                            starts[n] = e.PostingStart + offsets[pos];
                            lengths[n] = (int)((end - offsets[pos]) / BlockMaxIndex.PostingBytesEach);
                            slots[n] = j;
                            weights[n++] = w;
                        }
                    }
                }
            }
            var postings = bm.Postings;
            for (var i = 0; i < n; i++)
            {
                if (i + Ahead < n)
                {
                    Prefetch(postings + starts[i + Ahead]);
                    if (lengths[i + Ahead] > 12)
                        Prefetch(postings + starts[i + Ahead] + 64);
                }
                var count = lengths[i];
                // The entry lies in its term's postings, which EnsureTerm (in Bounds) checked whole.
                var impacts = (float*)(postings + starts[i]);
                var offsets = postings + starts[i] + (count * 4);
                var a = acc + (slots[i] << bits);
                var w = weights[i];
                for (var x = 0; x < count; x++)
                    a[offsets[x] & mask] += w * impacts[x];
            }
            Offer(acc, ids, m, bits, queue, bm);
        }
    }

    /// <summary>The sum of the first <paramref name="r"/> (0 to 63) counts of a group of 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PrefixSum(byte* group, int r)
    {
        if (Avx2.IsSupported)
        {
            var limit = Vector256.Create((byte)r);
            var lo = Avx2.And(Vector256.Load(group), Vector256.LessThan(Iota, limit));
            var hi = Avx2.And(Vector256.Load(group + 32), Vector256.LessThan(Iota + Vector256.Create((byte)32), limit));
            // Sums of eight bytes each (counts are at most 128, so no lane overflows).
            var sums = Avx2.SumAbsoluteDifferences(lo, Vector256<byte>.Zero).AsUInt64() + Avx2.SumAbsoluteDifferences(hi, Vector256<byte>.Zero).AsUInt64();
            return (int)Vector256.Sum(sums);
        }
        var total = 0;
        for (var i = 0; i < r; i++)
            total += group[i];
        return total;
    }

    private static readonly Vector256<byte> Iota = Vector256.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);

    /// <summary>
    /// How far ahead in each dense row the bound loop requests memory: 1024 bytes halved the bounds'
    /// time with cold caches (0.135 to 0.067 ms a query); 256 gave 0.086, 2048 0.070.
    /// </summary>
    private const int PrefetchBytes = 1024;

    /// <summary>Entries ahead whose postings are requested (8, 32 and 64 measured alike).</summary>
    private const int Ahead = 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(void* p)
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(p);
    }

    /// <summary>
    /// The document of accumulator slot <paramref name="x"/>. A posting's offset is masked to its
    /// block, but the last block may be partial: an offset there past the last document (a section
    /// that passed its checksums yet was written wrong) is refused, not offered as a result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Document(BlockMaxIndex bm, int* ids, int x, int bits)
    {
        var doc = (ids[x >> bits] << bits) | (x & ((1 << bits) - 1));
        if ((uint)doc >= (uint)bm.Documents)
            PastLastDocument(bm, ids[x >> bits], doc);
        return doc;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PastLastDocument(BlockMaxIndex bm, int block, int doc) =>
        throw bm.CorruptPostings($"block {block} names document {doc} of {bm.Documents}");

    /// <summary>
    /// Offers the blocks' positive scores that can enter the queue. Blocks are not scored in
    /// document order, so a tie with the k-th score may still enter (an earlier document wins a
    /// tie): the pre-filter keeps scores at the bar, and the queue decides.
    /// </summary>
    private static void Offer(float* acc, int* ids, int m, int bits, TopKQueue queue, BlockMaxIndex bm)
    {
        var total = m << bits;
        var bar = Math.Max(queue.Threshold, float.Epsilon);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= total; i += 8)
            {
                var hits = Vector256.GreaterThanOrEqual(Vector256.Load(acc + i), Vector256.Create(bar)).ExtractMostSignificantBits();
                while (hits != 0)
                {
                    var x = i + BitOperations.TrailingZeroCount(hits);
                    hits &= hits - 1;
                    if (acc[x] >= bar && queue.Offer(Document(bm, ids, x, bits), acc[x]))
                        bar = Math.Max(queue.Threshold, float.Epsilon);
                }
            }
        }
        for (; i < total; i++)
        {
            if (acc[i] >= bar && queue.Offer(Document(bm, ids, i, bits), acc[i]))
                bar = Math.Max(queue.Threshold, float.Epsilon);
        }
    }
}
