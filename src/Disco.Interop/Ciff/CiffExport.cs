using System.Globalization;
using Disco.Core.IO;
using Disco.Index;
using Google.Protobuf;

namespace Disco.Interop.Ciff;

/// <summary>
/// Writes an index as CIFF (osirrc/ciff, version 1): a Header, one PostingsList per term that keeps
/// a posting (document ids as d-gaps, <c>tf = round(impact × scale)</c>, postings that round to 0
/// dropped), then one DocRecord per document (<c>collection_docid</c> = the external id,
/// <c>doclength</c> = the sum of its integer impacts, the length of the equivalent bag of repeated
/// tokens). The scale and the source are written in the header's description. The file is written
/// under a temporary name and renamed when complete.
/// </summary>
public static class CiffExport
{
    public static CiffHeader Export(SparseIndex index, string path, float scale = IntegerImpacts.DefaultScale, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        IntegerImpacts.CheckScale(scale);

        // The header comes first but needs the number of non-empty lists and the document lengths:
        // a first pass over the postings computes them (a term keeps a posting iff its largest impact rounds to 1 or more).
        var lengths = new int[index.DocumentCount];
        var lists = 0;
        long total = 0;
        for (var t = 0; t < index.TermCount; t++)
        {
            if (IntegerImpacts.Quantize(index.MaxImpact(t), scale) == 0)
                continue;
            lists++;
            var (docs, impacts) = index.ReadPostings(t);
            for (var i = 0; i < docs.Length; i++)
            {
                var tf = IntegerImpacts.Quantize(impacts[i], scale);
                lengths[docs[i]] = checked(lengths[docs[i]] + tf);
                total += tf;
            }
        }
        var source = Path.GetFullPath(index.Directory);
        var s = scale.ToString(CultureInfo.InvariantCulture);
        var header = new CiffHeader
        {
            NumPostingsLists = lists,
            NumDocRecords = index.DocumentCount,
            TotalPostingsLists = index.TermCount,
            TotalDocs = index.DocumentCount,
            TotalTermsInCollection = total,
            AverageDocLength = index.DocumentCount > 0 ? (double)total / index.DocumentCount : 0,
            Description = $"Disco {typeof(CiffExport).Assembly.GetName().Version} export of {source} ({index.Metadata.Impacts} impacts): "
                + $"tf = round(impact x {s}), postings rounding to 0 dropped; scale={s}; source={source}",
        };
        AtomicFile.Write(path, stream =>
        {
            using var output = new CodedOutputStream(stream, leaveOpen: true);
            output.WriteLength(header.CalculateSize());
            header.WriteTo(output);
            var docids = new List<int>();
            var tfs = new List<int>();
            for (var t = 0; t < index.TermCount; t++)
            {
                if (IntegerImpacts.Quantize(index.MaxImpact(t), scale) == 0)
                    continue;
                var (docs, impacts) = index.ReadPostings(t);
                docids.Clear();
                tfs.Clear();
                for (var i = 0; i < docs.Length; i++)
                {
                    var tf = IntegerImpacts.Quantize(impacts[i], scale);
                    if (tf == 0)
                        continue;
                    docids.Add(docs[i]);
                    tfs.Add(tf);
                }
                WritePostingsList(output, index.Term(t), docids, tfs);
                progress?.Report(docs.Length);
            }
            for (var d = 0; d < index.DocumentCount; d++)
                WriteDocRecord(output, d, index.DocumentId(d), lengths[d]);
            output.Flush();
        });
        return header;
    }

    private static void WritePostingsList(CodedOutputStream output, string term, List<int> docs, List<int> tfs)
    {
        long cf = 0;
        var size = 1 + CodedOutputStream.ComputeStringSize(term) + 1 + CodedOutputStream.ComputeInt64Size(docs.Count);
        var previous = 0;
        for (var i = 0; i < docs.Count; i++)
        {
            var p = PostingSize(docs[i] - previous, tfs[i]);
            size += 1 + CodedOutputStream.ComputeLengthSize(p) + p;
            previous = docs[i];
            cf += tfs[i];
        }
        size += 1 + CodedOutputStream.ComputeInt64Size(cf);
        output.WriteLength(size);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(term);
        // df and cf are written even when 0 would be their default, so sizes above count them always.
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt64(docs.Count);
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteInt64(cf);
        previous = 0;
        for (var i = 0; i < docs.Count; i++)
        {
            var gap = docs[i] - previous;
            output.WriteTag(4, WireFormat.WireType.LengthDelimited);
            output.WriteLength(PostingSize(gap, tfs[i]));
            if (gap != 0)
            {
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt32(gap);
            }
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteInt32(tfs[i]);
            previous = docs[i];
        }
    }

    private static int PostingSize(int gap, int tf) =>
        (gap != 0 ? 1 + CodedOutputStream.ComputeInt32Size(gap) : 0) + 1 + CodedOutputStream.ComputeInt32Size(tf);

    private static void WriteDocRecord(CodedOutputStream output, int docid, string id, int length)
    {
        var size = (docid != 0 ? 1 + CodedOutputStream.ComputeInt32Size(docid) : 0)
            + (id.Length > 0 ? 1 + CodedOutputStream.ComputeStringSize(id) : 0)
            + (length != 0 ? 1 + CodedOutputStream.ComputeInt32Size(length) : 0);
        output.WriteLength(size);
        if (docid != 0)
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt32(docid);
        }
        if (id.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(id);
        }
        if (length != 0)
        {
            output.WriteTag(3, WireFormat.WireType.Varint);
            output.WriteInt32(length);
        }
    }
}
