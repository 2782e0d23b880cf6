using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Disco.Index;

/// <summary>
/// Approximate search in two stages (docs/index-format.md, "Approximate search").
/// <para>Candidates: the query's <c>terms</c> heaviest terms are read through their head lists
/// only (each term's postings of largest impact, Seismic's static list pruning), each to a depth
/// proportional to its weight, one range of 2^16 documents at a time into a range accumulator;
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
    /// <summary>Candidates are accumulated one range of 2^16 documents at a time (a 256 KB accumulator, in L2).</summary>
    public const int RangeBits = 16;

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
    /// Partial scores over the heavy terms' head lists, range by range. The first contribution to
    /// a document appends it to the touched list (without a branch: the slot is always written,
    /// and the count advances only when the accumulator was 0); after each range the touched
    /// documents take their partial scores and their slots are cleared. Returns how many documents
    /// were touched (<see cref="AnnScratch.TouchedDocs"/>, <see cref="AnnScratch.TouchedScores"/>).
    /// </summary>
    private static int Gather(SearchQuery query, AnnIndex ann, AnnScratch s, int m)
    {
        var heads = ann.Heads;
        var heavy = s.Heavy;
        var next = s.Next;
        var end = s.End;
        var weight = s.CursorWeights;
        var listSize = ann.Metadata.ListSize;
        var heaviest = query.Weights[heavy[0]];
        long total = 0;
        var cursors = 0;
        for (var j = 0; j < m; j++)
        {
            var w = query.Weights[heavy[j]];
            var info = ann.Terms[query.Terms[heavy[j]]];
            // Each term reads its highest-impact postings to a depth proportional to its weight
            // (the heaviest term its whole head list): the tiers that cover that depth.
            var depth = (long)Math.Ceiling(listSize * (double)w / heaviest);
            var from = 0;
            for (var tier = 0; tier < AnnFormat.Tiers; tier++)
            {
                var to = info.TierEnd(tier);
                if (to > from)
                {
                    next[cursors] = info.FirstHead + from;
                    end[cursors] = info.FirstHead + to;
                    weight[cursors] = w;
                    total += to - from;
                    cursors++;
                }
                from = to;
                if (AnnFormat.TierCapacity(listSize, tier) >= depth)
                    break;
            }
        }
        s.EnsureTouched(total);
        const int mask = (1 << RangeBits) - 1;
        var documents = ann.Documents;
        var count = 0;
        fixed (float* acc = s.Accumulator)
        fixed (int* touched = s.TouchedDocs)
        fixed (float* partials = s.TouchedScores)
        {
            while (true)
            {
                var range = int.MaxValue;
                for (var j = 0; j < cursors; j++)
                {
                    if (next[j] < end[j])
                        range = Math.Min(range, heads[next[j]].Doc >> RangeBits);
                }
                if (range == int.MaxValue)
                    break;
                var hi = (int)Math.Min((long)(range + 1) << RangeBits, documents);
                var first = count;
                for (var j = 0; j < cursors; j++)
                {
                    var w = weight[j];
                    var p = heads + next[j];
                    var stop = heads + end[j];
                    for (; p < stop; p++)
                    {
                        var d = p->Doc;
                        if ((uint)d >= (uint)hi)
                        {
                            if (d < 0 || d >= documents)
                                throw ann.Corrupt($"a head list names document {d} of {documents}");
                            break;
                        }
                        var old = acc[d & mask];
                        touched[count] = d;
                        count += old == 0f ? 1 : 0;
                        acc[d & mask] = old + (w * p->Impact);
                    }
                    next[j] = p - heads;
                    if (Sse.IsSupported)
                    {
                        // This cursor's postings of the next range are read after every other
                        // cursor's of this one: ask for their first lines now.
                        Sse.Prefetch0(p);
                        Sse.Prefetch0(p + 8);
                    }
                }
                for (var i = first; i < count; i++)
                {
                    var slot = touched[i] & mask;
                    partials[i] = acc[slot];
                    acc[slot] = 0f;
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
                    var start = ann.ForwardOffsets[doc];
                    var bytes = ann.ForwardOffsets[doc + 1] - start;
                    if (start < IndexFormat.HeaderBytes || bytes < 0 || start + bytes > ann.ForwardLength || bytes % stride != 0)
                        throw ann.Corrupt($"document {doc} has an invalid forward record");
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
        var start = ann.ForwardOffsets[doc];
        var end = Math.Min(ann.ForwardOffsets[doc + 1], ann.ForwardLength);
        for (var at = start; at < end; at += 64)
            Sse.Prefetch0(ann.ForwardBase + at);
    }
}
