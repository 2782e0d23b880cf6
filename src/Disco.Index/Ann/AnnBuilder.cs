using System.Diagnostics;

namespace Disco.Index;

/// <summary>
/// Writes the structures of approximate search (docs/index-format.md, "Approximate search") from
/// an index's own postings, so they can be added to any index after the fact (<c>disco index ann</c>)
/// as well as at build time: per term a head list (its postings of largest impact), and a forward
/// index (every document's terms and impacts) for exact re-scoring; written as a section of the
/// index (<see cref="IndexSection"/>: a new generation, meta.json replaced atomically).
/// </summary>
internal static unsafe class AnnBuilder
{
    /// <summary>Documents inverted at a time for the forward index (bounds memory: about 12 bytes per posting of a chunk).</summary>
    private const int ChunkDocuments = 8192;

    public static IndexMetadata Add(string directory, AnnBuildOptions options)
    {
        var clock = Stopwatch.StartNew();
        return IndexSection.Add(
            directory,
            "ann*.bin",
            meta => meta.Ann?.Files,
            (index, create) =>
            {
                var generation = (index.Metadata.Ann?.Generation ?? 0) + 1;
                var ann = new AnnMetadata
                {
                    Generation = generation,
                    ListSize = options.ListSize,
                    TermBytes = index.TermCount <= 1 << 16 ? 2 : 4,
                    DefaultBudget = ApproximateSearch.DefaultBudget,
                    DefaultTerms = ApproximateSearch.DefaultTerms,
                };
                ChecksummedFile Create(string part)
                {
                    var name = AnnFormat.FileName(generation, part);
                    ann.Files[part] = name;
                    return create(name);
                }
                var files = AnnFormat.Parts.Select(p => Create(p.Part)).ToArray();
                (ann.Heads, ann.Segments) = WriteHeads(index, options.ListSize, files[0], files[1], files[2]);
                WriteForward(index, ann.TermBytes, files[3], files[4]);
                IndexSection.WriteChecksums(Create(IndexSection.ChecksumsPart), files);
                return ann;
            },
            (meta, ann) =>
            {
                ann.BuildSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
                meta.Ann = ann;
            });
    }

    /// <summary>
    /// Per term, its <paramref name="listSize"/> postings of largest impact (ties: the earlier
    /// document), cut into one segment per range of 2^16 documents, each segment by decreasing
    /// quantized impact (ties: the earlier document). Returns the head postings and segments written.
    /// </summary>
    private static (long Heads, long Segments) WriteHeads(SparseIndex index, int listSize, ChecksummedFile terms, ChecksummedFile segments, ChecksummedFile heads)
    {
        terms.Write(IndexFormat.Header(AnnFormat.Magic("terms"), AnnFormat.Version));
        segments.Write(IndexFormat.Header(AnnFormat.Magic("segments"), AnnFormat.Version));
        heads.Write(IndexFormat.Header(AnnFormat.Magic("heads"), AnnFormat.Version));
        var cursor = new PostingCursor(index);
        var docs = new List<int>();
        var impacts = new List<float>();
        var keys = new List<ulong>();
        var kept = new List<ulong>();
        const int mask = (1 << AnnFormat.RangeBits) - 1;
        long count = 0, segmentCount = 0;
        for (var t = 0; t < index.TermCount; t++)
        {
            docs.Clear();
            impacts.Clear();
            keys.Clear();
            for (cursor.Reset(t); cursor.Doc != int.MaxValue; cursor.Next())
            {
                // Impact descending (positive float bits order like the floats), then the earlier posting.
                keys.Add(((ulong)~BitConverter.SingleToUInt32Bits(cursor.Impact) << 32) | (uint)docs.Count);
                docs.Add(cursor.Doc);
                impacts.Add(cursor.Impact);
            }
            keys.Sort();
            var n = Math.Min(keys.Count, listSize);
            var max = n == 0 ? 0f : impacts[(int)(uint)keys[0]];
            var scale = max > 0 ? max / AnnFormat.MaxQuantized : 0f;
            var floor = n < keys.Count ? impacts[(int)(uint)keys[n - 1]] : 0f;
            // Range ascending, then quantized impact descending, then document ascending.
            kept.Clear();
            for (var r = 0; r < n; r++)
            {
                var at = (int)(uint)keys[r];
                var q = Quantize(impacts[at], scale);
                var doc = docs[at];
                kept.Add(((ulong)(uint)(doc >> AnnFormat.RangeBits) << 48) | ((ulong)(AnnFormat.MaxQuantized - q) << 32) | (uint)doc);
            }
            kept.Sort();
            var segmentsOfTerm = 0;
            for (var i = 0; i < n; i++)
            {
                var doc = (int)(uint)kept[i];
                var range = doc >> AnnFormat.RangeBits;
                if (i + 1 == n || (int)(uint)kept[i + 1] >> AnnFormat.RangeBits != range)
                {
                    segments.WriteInt32(range);
                    segments.WriteInt32(i + 1);
                    segmentsOfTerm++;
                }
                var q = AnnFormat.MaxQuantized - (int)((kept[i] >> 32) & 0xffff);
                heads.WriteInt32((doc & mask) | (q << 16));
            }
            terms.WriteInt64(count);
            terms.WriteInt64(segmentCount);
            terms.WriteInt32(n);
            terms.WriteInt32(segmentsOfTerm);
            terms.WriteSingle(scale);
            terms.WriteSingle(floor);
            count += n;
            segmentCount += segmentsOfTerm;
        }
        terms.Complete();
        segments.Complete();
        heads.Complete();
        return (count, segmentCount);
    }

    /// <summary>An impact on the term's 16-bit scale; at least 1, so every head posting counts.</summary>
    private static int Quantize(float impact, float scale) =>
        scale <= 0 ? 1 : Math.Clamp((int)MathF.Round(impact / scale), 1, AnnFormat.MaxQuantized);

    /// <summary>
    /// Every document's terms (increasing id) and impacts (as stored in postings.bin), built by
    /// inverting the postings a chunk of documents at a time.
    /// </summary>
    private static void WriteForward(SparseIndex index, int termBytes, ChecksummedFile forward, ChecksummedFile forwardIndex)
    {
        forward.Write(IndexFormat.Header(AnnFormat.Magic("forward"), AnnFormat.Version));
        forwardIndex.Write(IndexFormat.Header(AnnFormat.Magic("forwardIndex"), AnnFormat.Version));
        var impactBytes = IndexFormat.ImpactBytes(index.Encoding);
        var blocks = index.BlockEntries;
        var rangeMask = ~((1 << index.RangeBits) - 1);
        // Per term: the index block and position of its next posting not yet inverted.
        var nextBlock = new int[index.TermCount];
        var nextPos = new int[index.TermCount];
        for (var t = 0; t < index.TermCount; t++)
            nextBlock[t] = index.FirstBlock(t);
        var termsOf = new int[1 << 16];
        var docsOf = new int[1 << 16];
        var impactsOf = new byte[(1 << 16) * 4];
        var sortedTerms = new int[1 << 16];
        var sortedImpacts = new byte[(1 << 16) * 4];
        var starts = new int[ChunkDocuments + 1];
        var record = new byte[1 << 12];
        var documents = index.DocumentCount;
        for (var lo = 0; lo < documents; lo += ChunkDocuments)
        {
            var hi = Math.Min(documents, lo + ChunkDocuments);
            var count = 0;
            for (var t = 0; t < index.TermCount; t++)
            {
                var end = index.FirstBlock(t) + index.BlockCount(t);
                while (nextBlock[t] < end)
                {
                    var b = nextBlock[t];
                    var n = index.BlockLength(b, out var p);
                    var rangeStart = blocks[b].LastDoc & rangeMask;
                    var offsets = (ushort*)(p + (n * impactBytes));
                    var i = nextPos[t];
                    for (; i < n && rangeStart + offsets[i] < hi; i++)
                    {
                        if (count == termsOf.Length)
                        {
                            Array.Resize(ref termsOf, count * 2);
                            Array.Resize(ref docsOf, count * 2);
                            Array.Resize(ref impactsOf, count * 2 * 4);
                        }
                        termsOf[count] = t;
                        docsOf[count] = rangeStart + offsets[i] - lo;
                        new ReadOnlySpan<byte>(p + (i * impactBytes), impactBytes).CopyTo(impactsOf.AsSpan(count * impactBytes));
                        count++;
                    }
                    if (i < n)
                    {
                        nextPos[t] = i;
                        break;
                    }
                    nextBlock[t]++;
                    nextPos[t] = 0;
                }
            }
            if (sortedTerms.Length < count)
            {
                sortedTerms = new int[termsOf.Length];
                sortedImpacts = new byte[impactsOf.Length];
            }
            // Counting sort by document; stable, so each document's terms stay in increasing order.
            Array.Clear(starts);
            for (var i = 0; i < count; i++)
                starts[docsOf[i] + 1]++;
            for (var d = 0; d < ChunkDocuments; d++)
                starts[d + 1] += starts[d];
            var fill = starts[..ChunkDocuments];
            for (var i = 0; i < count; i++)
            {
                var at = fill[docsOf[i]]++;
                sortedTerms[at] = termsOf[i];
                impactsOf.AsSpan(i * impactBytes, impactBytes).CopyTo(sortedImpacts.AsSpan(at * impactBytes));
            }
            for (var d = 0; d < hi - lo; d++)
            {
                forwardIndex.WriteInt64(forward.Length);
                var from = starts[d];
                var n = starts[d + 1] - from;
                var bytes = n * (termBytes + impactBytes);
                if (record.Length < bytes)
                    record = new byte[bytes * 2];
                var span = record.AsSpan(0, bytes);
                for (var i = 0; i < n; i++)
                {
                    if (termBytes == 2)
                        BitConverter.TryWriteBytes(span[(2 * i)..], (ushort)sortedTerms[from + i]);
                    else
                        BitConverter.TryWriteBytes(span[(4 * i)..], sortedTerms[from + i]);
                }
                sortedImpacts.AsSpan(from * impactBytes, n * impactBytes).CopyTo(span[(n * termBytes)..]);
                forward.Write(span);
            }
        }
        forwardIndex.WriteInt64(forward.Length);
        forward.Complete();
        forwardIndex.Complete();
    }
}
