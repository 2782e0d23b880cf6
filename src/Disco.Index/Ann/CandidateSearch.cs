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
        s.Prepare(n);
        Heaviest(query, s.Heavy, m);
        var touched = Gather(query, ann, s, m);
        var docs = Choose(s, touched, budget, scratch.Histogram);
        return index.Encoding switch
        {
            ImpactEncoding.Float32 => Rescore<Float32Impacts>(query, index, ann, s.Weights, docs, scratch.Queue),
            ImpactEncoding.UInt16 => Rescore<UInt16Impacts>(query, index, ann, s.Weights, docs, scratch.Queue),
            _ => Rescore<UInt8Impacts>(query, index, ann, s.Weights, docs, scratch.Queue),
        };
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
    /// the best, and most small postings name such documents (docs/benchmarks.md, issue 16).
    /// </summary>
    internal const float TouchFraction = 0.8f;

    /// <summary>
    /// Partial scores over the heavy terms' head lists, range by range. The query's floor is the
    /// largest floor contribution among the heavy terms (the contribution below which the
    /// best-covered of their head lists knows nothing; 0 when no list was cut, so everything is
    /// read and every posting may add a candidate). In each range every term first reads its
    /// postings of contribution ≥ <see cref="TouchFraction"/> × the floor (a segment is in
    /// decreasing impact order, so they come first): each adds to its document, and a document's
    /// first contribution appends it to the touched list (without a branch: the slot is always
    /// written, and the count advances only when the accumulator was 0) and marks it. Then every
    /// term reads on down to <see cref="ReadFraction"/> × the floor, adding only to marked
    /// documents, whichever term touched them. After each range the touched documents take their
    /// partial scores and their slots are cleared. Returns how many documents were touched
    /// (<see cref="AnnScratch.TouchedDocs"/>, <see cref="AnnScratch.TouchedScores"/>).
    /// </summary>
    private static int Gather(SearchQuery query, AnnIndex ann, AnnScratch s, int m)
    {
        var heavy = s.Heavy;
        var tau = 0f;
        for (var j = 0; j < m; j++)
            tau = Math.Max(tau, query.Weights[heavy[j]] * ann.Terms[query.Terms[heavy[j]]].Floor);
        var touchAt = tau * TouchFraction;
        tau *= ReadFraction;
        var nextSegment = s.NextSegment;
        var endSegment = s.EndSegment;
        var firstHead = s.FirstHead;
        var position = s.Position;
        var step = s.Step;
        var threshold = s.Threshold;
        var touchLimit = s.TouchAt;
        long total = 0;
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
            nextSegment[cursors] = info.FirstSegment;
            endSegment[cursors] = info.FirstSegment + info.Segments;
            firstHead[cursors] = info.FirstHead;
            position[cursors] = 0;
            step[cursors] = unit;
            threshold[cursors] = (int)MathF.Ceiling(need);
            touchLimit[cursors] = (int)Math.Min(MathF.Ceiling(touchAt / unit), AnnFormat.MaxQuantized + 1);
            total += info.Heads;
            cursors++;
        }
        s.EnsureTouched(total);
        var updates = 0;
        const int mask = (1 << AnnFormat.RangeBits) - 1;
        var ranges = (int)(((long)ann.Documents + mask) >> AnnFormat.RangeBits);
        var heads = ann.Heads;
        var segments = ann.Segments;
        var count = 0;
        fixed (float* acc = s.Accumulator)
        fixed (int* touched = s.TouchedDocs)
        fixed (float* partials = s.TouchedScores)
        fixed (ulong* marks = s.Marks)
        fixed (int* updateDocs = s.UpdateDocs)
        fixed (float* updateScores = s.UpdateScores)
        {
            for (var range = 0; range < ranges; range++)
            {
                var first = count;
                var rangeBase = range << AnnFormat.RangeBits;
                // First every term's postings that may add a candidate, then every term's smaller
                // ones, which only add to documents touched in this range, whichever term touched them.
                for (var j = 0; j < cursors; j++)
                {
                    var at = nextSegment[j];
                    if (at == endSegment[j] || segments[at].Range != range)
                        continue;
                    var list = heads + firstHead[j];
                    var p = list + position[j];
                    var stop = list + segments[at].End;
                    var w = step[j];
                    var c = touchLimit[j];
                    for (; p < stop; p++)
                    {
                        int q = p->Impact;
                        if (q < c)
                            break;
                        var o = p->Offset;
                        var old = acc[o];
                        touched[count] = rangeBase | o;
                        count += old == 0f ? 1 : 0;
                        acc[o] = old + (w * q);
                        marks[o >> 6] |= 1UL << o;
                    }
                    position[j] = (int)(p - list);
                }
                for (var j = 0; j < cursors; j++)
                {
                    var at = nextSegment[j];
                    if (at == endSegment[j] || segments[at].Range != range)
                        continue;
                    var segmentEnd = segments[at].End;
                    var list = heads + firstHead[j];
                    var p = list + position[j];
                    var stop = list + segmentEnd;
                    var w = step[j];
                    var min = threshold[j];
                    for (; p < stop; p++)
                    {
                        int q = p->Impact;
                        if (q < min)
                            break;
                        var o = p->Offset;
                        // Most of these postings name documents no term touched: a bit test in L1
                        // (8 KB of marks) instead of a visit to the 256 KB accumulator, and no
                        // branch: every posting is written to the update list, which advances
                        // only when the document is marked.
                        updateDocs[updates] = o;
                        updateScores[updates] = w * q;
                        updates += (int)((marks[o >> 6] >> o) & 1);
                    }
                    for (var u = 0; u < updates; u++)
                        acc[updateDocs[u]] += updateScores[u];
                    updates = 0;
                    position[j] = segmentEnd;
                    nextSegment[j] = at + 1;
                    if (Sse.IsSupported)
                    {
                        // This term's segment of the next range is read after every other term's
                        // of this one: ask for its first line now.
                        Sse.Prefetch0(stop);
                    }
                }
                for (var i = first; i < count; i++)
                {
                    var slot = touched[i] & mask;
                    partials[i] = acc[slot];
                    acc[slot] = 0f;
                    marks[slot >> 6] = 0;
                }
            }
        }
        return count;
    }

    /// <summary>
    /// The (at most) <paramref name="budget"/> touched documents with the largest partial scores
    /// (ties: the earlier document), in increasing document order so the forward records are read
    /// in file order. A histogram of the scores' bits finds a cut-off first, so only the few
    /// documents near it are sorted.
    /// </summary>
    private static int[] Choose(AnnScratch s, int touched, int budget, int[] histogram)
    {
        var docs = s.TouchedDocs;
        var scores = s.TouchedScores;
        int[] chosen;
        if (touched <= budget)
        {
            chosen = docs[..touched];
        }
        else
        {
            float cut;
            fixed (float* p = scores)
                cut = ScoreSelection.Cutoff(p, touched, budget, histogram);
            // At least `budget` documents reach the cut; order those by score, then document, and keep `budget`.
            var keys = new List<ulong>(budget * 2);
            for (var i = 0; i < touched; i++)
            {
                if (scores[i] >= cut)
                    keys.Add(((ulong)~BitConverter.SingleToUInt32Bits(scores[i]) << 32) | (uint)docs[i]);
            }
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys);
            span.Sort();
            chosen = new int[budget];
            for (var i = 0; i < budget; i++)
                chosen[i] = (int)(uint)span[i];
        }
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>Scores every candidate exactly from the forward index and offers it to <paramref name="queue"/>.</summary>
    internal static int Rescore<TImpacts>(SearchQuery query, SparseIndex index, AnnIndex ann, float[] weights, int[] docs, TopKQueue queue)
        where TImpacts : struct, IImpactWidth
    {
        foreach (var doc in docs)
        {
            // Head postings name documents by range and offset; the last range may name one past the collection.
            if ((uint)doc >= (uint)ann.Documents)
                throw ann.Corrupt($"a head list names document {doc} of {ann.Documents}");
        }
        for (var t = 0; t < query.Count; t++)
            weights[query.Terms[t]] = query.Weights[t];
        try
        {
            fixed (float* w = weights)
            {
                var scale = index.Scale;
                var stride = ann.TermBytes + TImpacts.Bytes;
                for (var i = 0; i < docs.Length; i++)
                {
                    // Two stages: the offsets of a later candidate (a scattered 8 MB table), then the
                    // record of a nearer one, whose offsets have arrived by now.
                    if (i + 8 < docs.Length && Sse.IsSupported)
                        Sse.Prefetch0(ann.ForwardOffsets + docs[i + 8]);
                    if (i + 2 < docs.Length)
                        Prefetch(ann, docs[i + 2]);
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
                    var n = (int)(bytes / stride);
                    var p = ann.ForwardBase + start;
                    var impacts = p + (n * ann.TermBytes);
                    // Contributions are added in term order, as every algorithm adds them.
                    var score = 0f;
                    if (ann.TermBytes == 2 && Avx2.IsSupported)
                    {
                        // Eight terms at a time: their query weights by one gather from the weight
                        // table; the few non-zero ones are added one by one, in term order.
                        var ids = (ushort*)p;
                        var j = 0;
                        for (; j + 8 <= n; j += 8)
                        {
                            var index8 = Avx2.ConvertToVector256Int32(ids + j);
                            var qw = Avx2.GatherVector256(w, index8, 4);
                            var hits = (uint)Vector256.ExtractMostSignificantBits(Vector256.GreaterThan(qw, Vector256<float>.Zero));
                            if (typeof(TImpacts) == typeof(Float32Impacts))
                            {
                                if (hits == 0)
                                    continue;
                                // float32 impacts: the eight products at once, added in term order; the
                                // zero products (terms outside the query) leave the sum unchanged bit
                                // for bit (x + 0 = x), so the score is the scoring contract's.
                                var prod = Avx.Multiply(qw, Avx.LoadVector256((float*)(impacts + (4L * j))));
                                var lower = prod.GetLower();
                                var upper = prod.GetUpper();
                                score += lower.ToScalar();
                                score += lower.GetElement(1);
                                score += lower.GetElement(2);
                                score += lower.GetElement(3);
                                score += upper.ToScalar();
                                score += upper.GetElement(1);
                                score += upper.GetElement(2);
                                score += upper.GetElement(3);
                                continue;
                            }
                            while (hits != 0)
                            {
                                var b = BitOperations.TrailingZeroCount(hits);
                                hits &= hits - 1;
                                score += w[ids[j + b]] * TImpacts.Read(impacts, j + b, scale);
                            }
                        }
                        for (; j < n; j++)
                        {
                            var qw = w[ids[j]];
                            if (qw != 0)
                                score += qw * TImpacts.Read(impacts, j, scale);
                        }
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
