using Google.Protobuf;

namespace Disco.Interop.Ciff;

/// <summary>
/// CIFF's <c>Header</c> message (osirrc/ciff, CommonIndexFileFormat.proto, proto3): 1 version,
/// 2 num_postings_lists, 3 num_doc_records, 4 total_postings_lists, 5 total_docs (int32),
/// 6 total_terms_in_collection (int64), 7 average_doclength (double), 8 description (string).
/// </summary>
public sealed class CiffHeader
{
    public int Version { get; set; } = 1;

    /// <summary>Exactly the number of PostingsList messages that follow.</summary>
    public int NumPostingsLists { get; set; }

    /// <summary>Exactly the number of DocRecord messages after the postings lists.</summary>
    public int NumDocRecords { get; set; }

    public int TotalPostingsLists { get; set; }

    public int TotalDocs { get; set; }

    public long TotalTermsInCollection { get; set; }

    public double AverageDocLength { get; set; }

    public string Description { get; set; } = "";

    internal static CiffHeader Parse(CodedInputStream input)
    {
        var h = new CiffHeader { Version = 0 };
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: h.Version = input.ReadInt32(); break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: h.NumPostingsLists = input.ReadInt32(); break;
                case 3 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: h.NumDocRecords = input.ReadInt32(); break;
                case 4 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: h.TotalPostingsLists = input.ReadInt32(); break;
                case 5 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: h.TotalDocs = input.ReadInt32(); break;
                case 6 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: h.TotalTermsInCollection = input.ReadInt64(); break;
                case 7 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed64: h.AverageDocLength = input.ReadDouble(); break;
                case 8 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited: h.Description = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return h;
    }

    internal int CalculateSize() =>
        Field(1, Version) + Field(2, NumPostingsLists) + Field(3, NumDocRecords) + Field(4, TotalPostingsLists) + Field(5, TotalDocs)
        + (TotalTermsInCollection != 0 ? 1 + CodedOutputStream.ComputeInt64Size(TotalTermsInCollection) : 0)
        + (AverageDocLength != 0 ? 1 + 8 : 0)
        + (Description.Length > 0 ? 1 + CodedOutputStream.ComputeStringSize(Description) : 0);

    internal void WriteTo(CodedOutputStream output)
    {
        Write(output, 1, Version);
        Write(output, 2, NumPostingsLists);
        Write(output, 3, NumDocRecords);
        Write(output, 4, TotalPostingsLists);
        Write(output, 5, TotalDocs);
        if (TotalTermsInCollection != 0)
        {
            output.WriteTag(6, WireFormat.WireType.Varint);
            output.WriteInt64(TotalTermsInCollection);
        }
        if (AverageDocLength != 0)
        {
            output.WriteTag(7, WireFormat.WireType.Fixed64);
            output.WriteDouble(AverageDocLength);
        }
        if (Description.Length > 0)
        {
            output.WriteTag(8, WireFormat.WireType.LengthDelimited);
            output.WriteString(Description);
        }
    }

    private static int Field(int number, int value) => value != 0 ? CodedOutputStream.ComputeTagSize(number) + CodedOutputStream.ComputeInt32Size(value) : 0;

    private static void Write(CodedOutputStream output, int number, int value)
    {
        if (value == 0)
            return;
        output.WriteTag(number, WireFormat.WireType.Varint);
        output.WriteInt32(value);
    }
}
