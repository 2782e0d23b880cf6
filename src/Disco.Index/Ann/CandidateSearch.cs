using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Disco.Index;

/// <summary>
/// Approximate search in two stages (docs/index-format.md, "Approximate search").
/// <para>Candidates: the query's <c>terms</c> heaviest terms are read through their head lists
/// only (each term's postings of largest impact, Seismic's static list pruning), each down to a
/// contribution threshold shared by the query's terms (<see cref="Gather"/>), one range of 2^16
/// documents at a time into a range accumulator;
/// the <c>budget</c> documents with the largest partial scores are the candidates. A document that
/// ranks high for a query almost always has a large impact on one of its heaviest terms, and the
/// partial score over those terms orders the candidates well (docs/benchmarks.md).</para>
/// <para>Re-scoring: every candidate is scored exactly from the forward index (its terms in
/// increasing id order, so the contributions are added in the canonical order of the scoring
/// contract and the score is bit-identical to exact search) and offered to the top k.</para>
/// Deviation from Seismic: candidates are single documents ranked by a partial score, not blocks
/// of a term's list ranked by a summary vector; on our collections this needs fewer exact
/// scorings for the same recall (docs/benchmarks.md).
/// </summary>
internal static unsafe class CandidateSearch
{
    /// <summary>Runs one query; returns the number of documents scored exactly.</summary>
    public static int Run(SearchQuery query, SearchScratch scratch, SparseIndex index, int k, int budget, int terms)
    {
        var probe = default(NoAnnProbe);
        return Run(query, scratch, index, k, budget, terms, ref probe);
    }

    /// <summary>As above, telling <paramref name="probe"/> where the time goes (the benchmark's stage profile).</summary>
    public static int Run<TProbe>(SearchQuery query, SearchScratch scratch, SparseIndex index, int k, int budget, int terms, ref TProbe probe)
        where TProbe : struct, IAnnProbe
    {
        if (budget == ApproximateSearch.Everything)
        {
            // Every document that matches the query is a candidate: that is exact search.
            TermAtATime.Run(query, scratch, index, k);
            return index.DocumentCount;
        }
        if (!scratch.Begin(query, k))
            return 0;
        var ann = index.Ann ?? throw new InvalidOperationException("the index has no approximate-search structures");
        var s = scratch.Ann;
        var n = query.Count;
        var m = Math.Min(terms, n);
        probe.Begin(AnnStage.Setup);
        s.Prepare(n);
        Heaviest(query, s.Heavy, m);
        var touched = Gather(query, ann, s, m, TouchFraction(budget), ref probe);
        probe.Begin(AnnStage.Choose);
        var docs = Choose(s, touched, budget);
        probe.Begin(AnnStage.Rescore);
        var scored = index.Encoding switch
        {
            ImpactEncoding.Float32 => Rescore<Float32Impacts>(query, index, ann, s, docs, scratch.Queue),
            ImpactEncoding.UInt16 => Rescore<UInt16Impacts>(query, index, ann, s, docs, scratch.Queue),
            _ => Rescore<UInt8Impacts>(query, index, ann, s, docs, scratch.Queue),
        };
        probe.Begin(AnnStage.Done);
        return scored;
    }

    /// <summary>Puts the query positions of the <paramref name="m"/> largest weights (ties: the earlier position) first in <paramref name="heavy"/>.</summary>
    private static void Heaviest(SearchQuery query, int[] heavy, int m)
    {
        var n = query.Count;
        var weights = query.Weights;
        for (var i = 0; i < n; i++)
        {
            // Insertion sort by decreasing weight; stable, so equal weights keep query order. n is small (tens).
            var j = i;
            while (j > 0 && weights[heavy[j - 1]] < weights[i])
            {
                heavy[j] = heavy[j - 1];
                j--;
            }
            heavy[j] = i;
        }
    }

    /// <summary>
    /// How deep the heavy terms read, as a fraction of the query's floor contribution (the largest,
    /// among the heavy terms, of query weight × the smallest impact of a cut head list): a head
    /// posting is read when its contribution reaches this fraction of the floor.
    /// </summary>
    internal const float ReadFraction = 0.2f;

    /// <summary>
    /// Which of the postings read may make their document a candidate: those whose contribution
    /// reaches this fraction of the floor. The smaller ones only add to documents already touched
    /// in the same range: a document that no posting of at least this size names is rarely among
    /// the best, and most small postings name such documents (docs/benchmarks.md, issue 16). A
    /// higher fraction touches fewer documents: less work, but fewer candidates to choose from,
    /// which large budgets feel. On c1m, 0.9 takes 1-3% less time than 0.8 at recall@10 0.97
    /// (budgets 60-100); from budget 150 on 0.8 is ahead (at k=1000, budget 2000: recall 0.814
    /// against 0.784 in the same time). Session 9; 0.8 throughout before.
    /// </summary>
    internal static float TouchFraction(int budget) => budget <= SmallBudget ? 0.9f : 0.8f;

    /// <summary>The largest budget that touches with the higher fraction (<see cref="TouchFraction"/>).</summary>
    internal const int SmallBudget = 100;

    /// <summary>
    /// How much of a cursor's next segment is asked for ahead (16 lines, 256 postings: more than
    /// most segments are read to). A query reads about 480 segments of a few lines each, too many
    /// short streams for the hardware prefetcher: when only their first line was asked for, each
    /// further line was a miss (c1m (30, 60): 1 line 0.189 ms, 6 lines 0.176, 12 to 64 lines
    /// 0.172-0.174; docs/benchmarks.md).
    /// </summary>
    internal const int PrefetchBytes = 1024;

    /// <summary>
    /// Partial scores over the heavy terms' head lists, range by range. The query's floor is the
    /// largest floor contribution among the heavy terms (the contribution below which the
    /// best-covered of their head lists knows nothing; 0 when no list was cut, so everything is
    /// read and every posting may add a candidate). In each range every term first reads its
    /// postings of contribution ≥ <paramref name="touchFraction"/> × the floor (a segment is in
    /// decreasing impact order, so they come first): each adds to its document, and a document's
    /// first contribution appends it to the touched list (without a branch: the slot is always
    /// written, and the count advances only when the accumulator was 0). Then every term reads on
    /// down to <see cref="ReadFraction"/> × the floor, adding only to documents touched in this
    /// range (accumulator not 0: every contribution is positive), whichever term touched them.
    /// After each range the touched documents take their partial scores, counted in the choice's
    /// histogram (<see cref="AnnScratch.Buckets"/>), and their slots are cleared. Returns how many
    /// documents were touched
    /// (<see cref="AnnScratch.TouchedDocs"/>, <see cref="AnnScratch.TouchedScores"/>).
    /// </summary>
    private static int Gather<TProbe>(SearchQuery query, AnnIndex ann, AnnScratch s, int m, float touchFraction, ref TProbe probe)
        where TProbe : struct, IAnnProbe
    {
        var heavy = s.Heavy;
        var tau = 0f;
        for (var j = 0; j < m; j++)
            tau = Math.Max(tau, query.Weights[heavy[j]] * ann.Terms[query.Terms[heavy[j]]].Floor);
        var touchAt = tau * touchFraction;
        tau *= ReadFraction;
        var cursor = s.Cursors;
        long total = 0;
        // No partial score exceeds every heavy term's largest contribution added up.
        var bound = 0f;
        var cursors = 0;
        for (var j = 0; j < m; j++)
        {
            // Only these terms' segments and head lists are read below: from here on they are checked.
            ann.EnsureTerm(query.Terms[heavy[j]]);
            var info = ann.Terms[query.Terms[heavy[j]]];
            // A quantized impact q contributes about q × step; read while q × step ≥ tau.
            var unit = query.Weights[heavy[j]] * info.Scale;
            if (info.Heads == 0 || !(unit > 0))
                continue;
            var need = tau / unit;
            if (need > AnnFormat.MaxQuantized)
                continue;
            ref var c = ref cursor[cursors];
            c.NextSegment = info.FirstSegment;
            c.EndSegment = info.FirstSegment + info.Segments;
            c.FirstHead = info.FirstHead;
            c.Position = 0;
            c.Step = unit;
            c.Threshold = (int)MathF.Ceiling(need);
            c.TouchAt = (int)Math.Min(MathF.Ceiling(touchAt / unit), AnnFormat.MaxQuantized + 1);
            total += info.Heads;
            bound += unit * AnnFormat.MaxQuantized;
            if (Sse.IsSupported)
            {
                // The first range's segments are read right below, before any prefetch of the
                // range loop could ask for them: ask now, while the other terms are set up.
                var first = (byte*)(ann.Heads + info.FirstHead);
                for (var line = 0; line < PrefetchBytes; line += 64)
                    Sse.Prefetch0(first + line);
                Sse.Prefetch0(ann.Segments + info.FirstSegment);
            }
            cursors++;
        }
        s.EnsureTouched(total);
        // One bucket more: float sums in another order may round across a bucket boundary.
        s.TopBucket = (BitConverter.SingleToInt32Bits(bound) >> ScoreSelection.BucketShift) + 1;
        const int mask = (1 << AnnFormat.RangeBits) - 1;
        var ranges = (int)(((long)ann.Documents + mask) >> AnnFormat.RangeBits);
        var heads = ann.Heads;
        var segments = ann.Segments;
        var count = 0;
        Array.Clear(s.Buckets);
        fixed (float* acc = s.Accumulator)
        fixed (int* touched = s.TouchedDocs)
        fixed (float* partials = s.TouchedScores)
        fixed (int* buckets = s.Buckets)
        fixed (uint* updates = s.Updates)
        fixed (byte* compress = CompressLanes)
        fixed (AnnCursor* begin = cursor)
        {
            var end = begin + cursors;
            for (var range = 0; range < ranges; range++)
            {
                var first = count;
                var rangeBase = range << AnnFormat.RangeBits;
                // First every term's postings that may add a candidate, then every term's smaller
                // ones, which only add to documents touched in this range, whichever term touched them.
                probe.Begin(AnnStage.Touch);
                for (var c = begin; c < end; c++)
                {
                    var at = c->NextSegment;
                    if (at == c->EndSegment || segments[at].Range != range)
                        continue;
                    var list = heads + c->FirstHead;
                    var p = list + c->Position;
                    var stop = list + segments[at].End;
                    // Many segments hold no posting large enough to touch: no call for them.
                    if (p->Impact < c->TouchAt)
                        continue;
                    p = TouchSegment(p, stop, c->TouchAt, c->Step, acc, touched, rangeBase, ref count);
                    probe.Segment((int)(p - (list + c->Position)), 0, 0);
                    c->Position = (int)(p - list);
                }
                probe.Begin(AnnStage.Add);
                for (var c = begin; c < end; c++)
                {
                    var at = c->NextSegment;
                    if (at == c->EndSegment || segments[at].Range != range)
                        continue;
                    var segmentEnd = segments[at].End;
                    var list = heads + c->FirstHead;
                    var p = list + c->Position;
                    var stop = list + segmentEnd;
                    p = AddSegment(p, stop, c->Threshold, c->Step, acc, compress, updates, out var added);
                    probe.Segment(0, (int)(p - (list + c->Position)), added);
                    c->Position = segmentEnd;
                    c->NextSegment = at + 1;
                    if (Sse.IsSupported && at + 1 < c->EndSegment)
                    {
                        // This term's segment of the next range is read after every other term's
                        // of this one: ask for its first lines now.
                        var next = (byte*)(list + segments[at + 1].End);
                        var ahead = next < (byte*)stop + PrefetchBytes ? next : (byte*)stop + PrefetchBytes;
                        for (var line = (byte*)stop; line < ahead; line += 64)
                            Sse.Prefetch0(line);
                    }
                }
                probe.Begin(AnnStage.Flush);
                Flush(acc, touched + first, partials + first, count - first, buckets);
            }
        }
        return count;
    }

    // The gather's loops are small methods. The flush (once per range) and a record's scoring (in
    // Rescore) are not inlined: inside the large methods the JIT ran short of registers and kept
    // their loop state on the stack, a store and a reload per iteration (the flush's histogram
    // pointer, the product count). The two passes are inlined: called once per segment, about 650
    // calls a query, their call cost more than the one spilled pointer inlining leaves in pass 1
    // (inlined against not: 12 of 12 interleaved pairs faster, 2-3%; the flush inlined: slower).
    // Session 9, docs/benchmarks.md.

    /// <summary>
    /// The first pass over one segment: from <paramref name="p"/> down to the first posting below
    /// <paramref name="touchAt"/>, each adds <c>w × q</c> to its document's accumulator, and a
    /// document's first contribution appends it to <paramref name="touched"/> (without a branch:
    /// the slot is always written, and <paramref name="count"/> advances only when the accumulator
    /// was 0). Returns where it stopped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static AnnHead* TouchSegment(AnnHead* p, AnnHead* stop, int touchAt, float w, float* acc, int* touched, int rangeBase, ref int count)
    {
        var n = count;
        for (; p < stop; p++)
        {
            int q = p->Impact;
            if (q < touchAt)
                break;
            var o = p->Offset;
            var old = acc[o];
            touched[n] = rangeBase | o;
            // An integer test: a float compare to 0 also tests for NaN (a flag and a second
            // branch); a partial score is never negative zero or NaN.
            n += BitConverter.SingleToInt32Bits(old) == 0 ? 1 : 0;
            acc[o] = old + (w * q);
        }
        count = n;
        return p;
    }

    /// <summary>
    /// The second pass over one segment: from <paramref name="p"/> down to the first posting below
    /// <paramref name="min"/>, each whose document is touched in this range (accumulator not 0)
    /// adds <c>w × q</c> to it. Returns where it stopped; <paramref name="added"/>: how many added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static AnnHead* AddSegment(AnnHead* p, AnnHead* stop, int min, float w, float* acc, byte* compress, uint* updates, out int added)
    {
        // Most of these postings name documents no term touched. No branch: every posting is
        // written whole (4 bytes) to the update list, which advances only when the document's
        // accumulator is not 0; the few kept are added afterwards.
        var n = 0;
        if (Avx2.IsSupported)
            p = TouchedAvx2(p, stop, min, (int*)acc, compress, updates, ref n);
        p = TouchedScalar(p, stop, min, (int*)acc, updates, ref n);
        for (var u = 0; u < n; u++)
        {
            // The same product as the first pass's (w × q), so a document's partial score does
            // not depend on which pass added a contribution.
            var posting = updates[u];
            acc[posting & 0xFFFF] += w * (int)(posting >> 16);
        }
        added = n;
        return p;
    }

    /// <summary>
    /// The end of a range: the <paramref name="count"/> documents touched in it take their partial
    /// scores, counted in the choice's histogram, and their accumulators are cleared.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Flush(float* acc, int* touched, float* partials, int count, int* buckets)
    {
        const int mask = (1 << AnnFormat.RangeBits) - 1;
        for (var i = 0; i < count; i++)
        {
            var slot = touched[i] & mask;
            var partial = acc[slot];
            partials[i] = partial;
            // The choice's histogram, counted here where the score is at hand (positive: bucket < 2^12).
            buckets[BitConverter.SingleToInt32Bits(partial) >> ScoreSelection.BucketShift]++;
            acc[slot] = 0f;
        }
    }

    /// <summary>
    /// For each 8-bit mask, the positions of its set bits in increasing order (then zeros): the
    /// lane permutation that packs the kept lanes of 8 to the front (AVX2 has no compress).
    /// </summary>
    internal static readonly byte[] CompressLanes = BuildCompressLanes();

    private static byte[] BuildCompressLanes()
    {
        var lanes = GC.AllocateArray<byte>(256 * 8, pinned: true);
        for (var mask = 0; mask < 256; mask++)
        {
            var at = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                if ((mask & (1 << bit)) != 0)
                    lanes[(mask * 8) + at++] = (byte)bit;
            }
        }
        return lanes;
    }

    /// <summary>
    /// The second pass over one segment, eight postings at a time (AVX2): the postings from
    /// <paramref name="p"/> whose impact reaches <paramref name="min"/> (a prefix: a segment goes by
    /// decreasing impact) and whose document's accumulator (<paramref name="acc"/>, read as bits) is
    /// not 0 are appended whole to <paramref name="updates"/>. Returns where the scalar loop goes
    /// on: at the first posting below <paramref name="min"/>, or at the last fewer than eight
    /// before <paramref name="stop"/> (never read past it). Eight postings cost one gather, one
    /// permutation and one store, where the scalar loop spent a load, a test and a store on each:
    /// 0.181 → 0.167 ms a query at (30, 60) on c1m (docs/benchmarks.md, session 8). The gather reads
    /// the accumulator itself, not a bitmap of touched documents: the first pass then stores only
    /// the document and its sum, and the flush only the zero (session 9: 0.142 → 0.136 ms at
    /// (25, 70), though the gather now reads L2 instead of L1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static AnnHead* TouchedAvx2(AnnHead* p, AnnHead* stop, int min, int* acc, byte* compress, uint* updates, ref int count)
    {
        var below = Vector256.Create(min - 1);
        var low16 = Vector256.Create(0xFFFF);
        var n = count;
        for (; p + 8 <= stop; p += 8)
        {
            var v = Avx.LoadVector256((int*)p);
            var reach = (uint)Avx.MoveMask(Avx2.CompareGreaterThan(Avx2.ShiftRightLogical(v, 16), below).AsSingle());
            var sums = Avx2.GatherVector256(acc, Avx2.And(v, low16), 4);
            var hits = ~(uint)Avx.MoveMask(Avx2.CompareEqual(sums, Vector256<int>.Zero).AsSingle()) & reach;
            var lanes = Avx2.ConvertToVector256Int32(compress + (hits * 8));
            Avx.Store((int*)(updates + n), Avx2.PermuteVar8x32(v, lanes));
            n += BitOperations.PopCount(hits);
            if (reach != 0xFF)
            {
                count = n;
                return p + BitOperations.PopCount(reach);
            }
        }
        count = n;
        return p;
    }

    /// <summary>
    /// The second pass over one segment, one posting at a time, from <paramref name="p"/> to the
    /// first posting below <paramref name="min"/> or <paramref name="stop"/>; returns where it
    /// stopped. The same postings as <see cref="TouchedAvx2"/> are appended, in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static AnnHead* TouchedScalar(AnnHead* p, AnnHead* stop, int min, int* acc, uint* updates, ref int count)
    {
        var n = count;
        for (; p < stop; p++)
        {
            int q = p->Impact;
            if (q < min)
                break;
            var o = p->Offset;
            updates[n] = *(uint*)p;
            n += acc[o] != 0 ? 1 : 0;
        }
        count = n;
        return p;
    }

    /// <summary>
    /// The (at most) <paramref name="budget"/> touched documents with the largest partial scores
    /// (ties: the earlier document), in increasing document order so the forward records are read
    /// in file order. The histogram of the scores' bits, counted during the flushes, gives a
    /// cut-off first, so only the few documents at or above it are sorted; they are found eight
    /// scores at a time.
    /// </summary>
    private static ReadOnlySpan<int> Choose(AnnScratch s, int touched, int budget)
    {
        s.EnsureChoice(touched <= budget ? 0 : touched, Math.Min(touched, budget));
        fixed (int* d = s.TouchedDocs)
        fixed (float* p = s.TouchedScores)
        {
            var n = Choose(d, p, touched, budget, s.Buckets, s.TopBucket, s.Keys, s.Chosen);
            return s.Chosen.AsSpan(0, n);
        }
    }

    /// <summary>
    /// The choice over <paramref name="touched"/> documents <paramref name="d"/> and their partial
    /// scores <paramref name="p"/>, whose histogram is <paramref name="buckets"/> (scanned from
    /// bucket <paramref name="top"/>): writes the chosen documents to <paramref name="chosen"/> in
    /// increasing order and returns how many; <paramref name="keys"/> is scratch, room for every
    /// touched document.
    /// </summary>
    internal static int Choose(int* d, float* p, int touched, int budget, ReadOnlySpan<int> buckets, int top, ulong[] keys, int[] chosen)
    {
        if (touched <= budget)
        {
            new ReadOnlySpan<int>(d, touched).CopyTo(chosen);
            Array.Sort(chosen, 0, touched);
            return touched;
        }
        // At least `budget` documents reach the cut (the cut-off's bucket may hold many more).
        var cut = ScoreSelection.Cutoff(buckets, budget, top);
        var above = 0;
        fixed (ulong* k = keys)
        {
            var i = 0;
            if (Avx.IsSupported)
            {
                var bar = Vector256.Create(cut);
                for (; i + 8 <= touched; i += 8)
                {
                    var hits = (uint)Avx.MoveMask(Avx.CompareGreaterThanOrEqual(Avx.LoadVector256(p + i), bar));
                    while (hits != 0)
                    {
                        var j = i + BitOperations.TrailingZeroCount(hits);
                        hits &= hits - 1;
                        k[above++] = Key(p[j], d[j]);
                    }
                }
            }
            for (; i < touched; i++)
            {
                if (p[i] >= cut)
                    k[above++] = Key(p[i], d[i]);
            }
        }
        // The keys above the cut-off's bucket are all kept (fewer than `budget` of them, or the
        // cut-off would be higher); only the cut-off's bucket is ordered by score, then document,
        // to fill the budget (about 10 keys instead of 80 at (25, 70) on c1m). A key orders like
        // ~score, so the bucket above starts at `upper`. Should more than `budget` lie above (a
        // `top` below a counted bucket), all of them are ordered.
        var upper = (ulong)~(uint)((BitConverter.SingleToInt32Bits(cut) >> ScoreSelection.BucketShift) + 1 << ScoreSelection.BucketShift) << 32;
        var high = 0;
        for (var i = 0; i < above; i++)
        {
            var key = keys[i];
            if (key < upper)
            {
                keys[i] = keys[high];
                keys[high++] = key;
            }
        }
        if (high > budget)
            high = 0;
        keys.AsSpan(high, above - high).Sort();
        // The histogram counted every score here, so `above` ≥ budget; the minimum only guards it.
        var n = Math.Min(budget, above);
        for (var i = 0; i < n; i++)
            chosen[i] = (int)(uint)keys[i];
        Array.Sort(chosen, 0, n);
        return n;
    }

    /// <summary>Sorts ascending as (score descending, document ascending): positive float bits order like the floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(float score, int doc) => ((ulong)~BitConverter.SingleToUInt32Bits(score) << 32) | (uint)doc;

    /// <summary>Scores every candidate exactly from the forward index and offers it to <paramref name="queue"/>.</summary>
    internal static int Rescore<TImpacts>(SearchQuery query, SparseIndex index, AnnIndex ann, AnnScratch s, ReadOnlySpan<int> docs, TopKQueue queue)
        where TImpacts : struct, IImpactWidth
    {
        foreach (var doc in docs)
        {
            // Head postings name documents by range and offset; the last range may name one past the collection.
            if ((uint)doc >= (uint)ann.Documents)
                throw ann.Corrupt($"a head list names document {doc} of {ann.Documents}");
        }
        var weights = s.Weights;
        for (var t = 0; t < query.Count; t++)
            weights[query.Terms[t]] = query.Weights[t];
        try
        {
            fixed (float* w = weights)
            fixed (byte* compress = CompressLanes)
            {
                var filter = stackalloc byte[TermFilterBytes];
                TermFilter(query.Terms.AsSpan(0, query.Count), filter);
                var scale = index.Scale;
                var stride = ann.TermBytes + TImpacts.Bytes;
                const int offsetsAhead = 8, recordsAhead = 2;
                if (Sse.IsSupported)
                {
                    // The loop below asks for what it needs some candidates ahead; the first ones
                    // are asked for here, all at once, instead of each waiting on its own misses
                    // (about 1.5% at (25, 70) on c1m, session 9).
                    for (var i = 0; i < Math.Min(offsetsAhead, docs.Length); i++)
                        Sse.Prefetch0(ann.ForwardOffsets + docs[i]);
                    for (var i = 0; i < Math.Min(recordsAhead, docs.Length); i++)
                        Prefetch(ann, docs[i]);
                }
                for (var i = 0; i < docs.Length; i++)
                {
                    // Two stages: the offsets of a later candidate (a scattered 8 MB table), then the
                    // record of a nearer one, whose offsets have arrived by now.
                    if (i + offsetsAhead < docs.Length && Sse.IsSupported)
                        Sse.Prefetch0(ann.ForwardOffsets + docs[i + offsetsAhead]);
                    if (i + recordsAhead < docs.Length)
                        Prefetch(ann, docs[i + recordsAhead]);
                    var doc = docs[i];
                    // Every read of the forward index passes here: offsets, then the record, are checked before they are used.
                    ann.EnsureForwardOffsets(doc);
                    var start = ann.ForwardOffsets[doc];
                    var end = ann.ForwardOffsets[doc + 1];
                    // Both ends compared, not end - start: a difference wraps around for offsets far apart.
                    if (start < IndexFormat.HeaderBytes || end < start || end > ann.ForwardLength || (end - start) % stride != 0)
                        throw ann.Corrupt($"document {doc} has an invalid forward record");
                    var bytes = end - start;
                    ann.EnsureForward(start, bytes);
                    // A record names each of its terms once: more terms than the vocabulary is a
                    // damaged file, refused before the product list is sized by it.
                    if (bytes / stride > weights.Length)
                        throw ann.Corrupt($"document {doc} has a forward record of {bytes / stride} terms, more than the index has");
                    var n = (int)(bytes / stride);
                    // Room for every term of the record and a vector store past the last.
                    var products = s.Products(n + 8);
                    var p = ann.ForwardBase + start;
                    var impacts = p + (n * ann.TermBytes);
                    // Contributions are added in term order, as every algorithm adds them.
                    var score = 0f;
                    if (ann.TermBytes == 2 && Avx2.IsSupported)
                    {
                        // Room for every term of the record and a vector store past the last.
                        var hits = s.Hits(n + 16);
                        score = ScoreRecord<TImpacts>((ushort*)p, impacts, n, w, filter, compress, hits, products, scale);
                    }
                    else if (ann.TermBytes == 2)
                    {
                        var ids = (ushort*)p;
                        for (var j = 0; j < n; j++)
                        {
                            var qw = w[ids[j]];
                            if (qw != 0)
                                score += qw * TImpacts.Read(impacts, j, scale);
                        }
                    }
                    else
                    {
                        for (var j = 0; j < n; j++)
                        {
                            var id = Unsafe.ReadUnaligned<uint>(p + (4L * j));
                            if (id >= (uint)weights.Length)
                                throw ann.Corrupt($"document {doc} names term {id}, outside the index");
                            var qw = w[id];
                            if (qw != 0)
                                score += qw * TImpacts.Read(impacts, j, scale);
                        }
                    }
                    queue.Offer(doc, score);
                }
            }
        }
        finally
        {
            for (var t = 0; t < query.Count; t++)
                weights[query.Terms[t]] = 0f;
        }
        return docs.Length;
    }

    /// <summary>Bytes of the query's term filter (<see cref="TermFilter"/>): 512 bits.</summary>
    internal const int TermFilterBytes = 64;

    /// <summary>
    /// Sets in <paramref name="filter"/> (<see cref="TermFilterBytes"/> bytes, zeroed) the bit of
    /// each query term: bit <c>id mod 512</c>. A record's term passes when its bit is set.
    /// </summary>
    internal static void TermFilter(ReadOnlySpan<int> terms, byte* filter)
    {
        foreach (var id in terms)
            filter[(id & 0x1FF) >> 3] |= (byte)(1 << (id & 7));
    }

    /// <summary>
    /// A forward record's score (2-byte term ids, AVX2): the products of its query terms, added in
    /// term order as every algorithm adds them (the scoring contract). The record's ids are first
    /// tested sixteen at a time against the query's <paramref name="filter"/> (<see cref="TermFilter"/>:
    /// four 16-byte tables, looked up by vpshufb with bits 3-6 of the id and chosen by bits 7-8; the
    /// bit within the byte by a third lookup). The positions that pass, the query's terms and
    /// about 7% of the others at 40 query terms, are listed without a branch, and only they read
    /// their query weight and impact. A record of ~140 terms had taken 18 gathers of query weights
    /// from a 256 KB table, most of them L1 misses for terms not in the query: 4-6% of a query's
    /// time at (25, 70) on c1m (session 10, docs/benchmarks.md). <paramref name="hits"/> and
    /// <paramref name="products"/> are scratch with room for <paramref name="n"/> + 16 and
    /// <paramref name="n"/> + 8 entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static float ScoreRecord<TImpacts>(ushort* ids, byte* impacts, int n, float* w, byte* filter, byte* compress, int* hits, float* products, float scale)
        where TImpacts : struct, IImpactWidth
    {
        var t0 = Vector256.Create(Vector128.Load(filter));
        var t1 = Vector256.Create(Vector128.Load(filter + 16));
        var t2 = Vector256.Create(Vector128.Load(filter + 32));
        var t3 = Vector256.Create(Vector128.Load(filter + 48));
        var bitOf = Vector256.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
        var fifteen = Vector256.Create((ushort)0x000F);
        var seven = Vector256.Create((ushort)0x0007);
        // An index byte with its top bit set makes vpshufb write 0: the lanes' high bytes.
        var zeroHigh = Vector256.Create((ushort)0x8000);
        var bit7 = Vector256.Create((ushort)0x0080);
        var bit8 = Vector256.Create((ushort)0x0100);
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var eight = Vector256.Create(8);
        var count = 0;
        var j = 0;
        for (; j + 16 <= n; j += 16)
        {
            var v = Avx.LoadVector256(ids + j);
            // Each 16-bit lane's low byte indexes a table; its high byte reads table byte 0, ignored below.
            var index = Avx2.And(Avx2.ShiftRightLogical(v, 3), fifteen).AsByte();
            var odd = Avx2.CompareEqual(Avx2.And(v, bit7), bit7).AsByte();
            var upper = Avx2.CompareEqual(Avx2.And(v, bit8), bit8).AsByte();
            var byteOf = Avx2.BlendVariable(
                Avx2.BlendVariable(Avx2.Shuffle(t0, index), Avx2.Shuffle(t1, index), odd),
                Avx2.BlendVariable(Avx2.Shuffle(t2, index), Avx2.Shuffle(t3, index), odd), upper);
            var bit = Avx2.Shuffle(bitOf, Avx2.Or(Avx2.And(v, seven), zeroHigh).AsByte());
            var miss = Avx2.CompareEqual(Avx2.And(byteOf, bit).AsUInt16(), Vector256<ushort>.Zero).AsInt16();
            // Packed per 128-bit half: bits 0-7 are ids j..j+7, bits 16-23 ids j+8..j+15.
            var pass = ~(uint)Avx2.MoveMask(Avx2.PackSignedSaturate(miss, miss));
            var first = pass & 0xFF;
            var second = (pass >> 16) & 0xFF;
            var at = Vector256.Create(j) + lanes;
            Avx.Store(hits + count, Avx2.PermuteVar8x32(at, Avx2.ConvertToVector256Int32(compress + (first * 8))));
            count += BitOperations.PopCount(first);
            Avx.Store(hits + count, Avx2.PermuteVar8x32(at + eight, Avx2.ConvertToVector256Int32(compress + (second * 8))));
            count += BitOperations.PopCount(second);
        }
        // The last fewer than sixteen are not filtered: their weights tell.
        for (; j < n; j++)
            hits[count++] = j;
        var found = 0;
        for (var u = 0; u < count; u++)
        {
            var at = hits[u];
            var qw = w[ids[at]];
            // Written always, kept only for a query term (weights are positive): no branch.
            products[found] = qw * TImpacts.Read(impacts, at, scale);
            found += qw > 0 ? 1 : 0;
        }
        var score = 0f;
        for (var u = 0; u < found; u++)
            score += products[u];
        return score;
    }

    /// <summary>Asks the CPU to start loading a document's forward record (candidates are scattered over the file).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(AnnIndex ann, int doc)
    {
        if (!Sse.IsSupported)
            return;
        // The offsets may not be checked yet: a prefetch never faults, and at most 4 KB are asked for.
        var start = ann.ForwardOffsets[doc];
        var end = Math.Min(Math.Min(ann.ForwardOffsets[doc + 1], ann.ForwardLength), start + 4096);
        for (var at = start; at < end; at += 64)
            Sse.Prefetch0(ann.ForwardBase + at);
    }
}
