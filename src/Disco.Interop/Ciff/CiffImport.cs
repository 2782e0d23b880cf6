using System.Globalization;
using Disco.Core;
using Disco.Index;
using Google.Protobuf;

namespace Disco.Interop.Ciff;

/// <summary>
/// Imports any CIFF file (osirrc/ciff; made by Disco, Anserini, PISA or other tools) into a Disco
/// index whose impacts are CIFF's integer term frequencies. Posting lists are read one at a time
/// (document ids are d-gaps: the first absolute, then differences); document records map
/// internal numbers to collection ids. Everything the header promises is checked against the body:
/// the number of posting lists and document records, each list's df, document numbers below the
/// number of records, records in document order, nothing after the last record.
/// </summary>
public static class CiffImport
{
    public static IndexMetadata Import(string path, string outputDirectory, CiffImportOptions? options = null, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new CiffImportOptions();
        using var file = new CiffFile(path);
        var header = Parse(file, "the header", CiffHeader.Parse);
        if (header.Version != 1)
            throw file.Error($"CIFF version {header.Version} is not supported (this disco reads version 1)");
        if (header.NumPostingsLists < 0 || header.NumDocRecords < 0)
            throw file.Error("negative counts in the header");
        var encoding = options.Impacts;
        using var writer = new InvertedIndexWriter(outputDirectory, new InvertedIndexOptions(encoding, encoding == ImpactEncoding.Float32 ? null : 1f, options.RangeBits));
        writer.BuildInfo["source"] = "ciff";
        writer.BuildInfo["ciff"] = Path.GetFullPath(path);
        if (header.Description.Length > 0)
            writer.BuildInfo["ciffDescription"] = header.Description;
        writer.ReserveDocuments(header.NumDocRecords);
        var docs = new List<int>();
        var weights = new List<float>();
        var lastReported = file.Position;
        for (var i = 0; i < header.NumPostingsLists; i++)
        {
            var what = $"postings list {i + 1} of {header.NumPostingsLists}";
            if (file.AtEnd)
                throw file.Error($"ends after {i} postings lists; the header announces {header.NumPostingsLists}");
            var (term, df) = Parse(file, what, input => ReadPostingsList(input, file, what, header.NumDocRecords, docs, weights));
            if (df != docs.Count)
                throw file.Error($"{what} (term \"{term}\"): df is {df} but it holds {docs.Count} postings");
            var name = MapTerm(term, options.Vocabulary, file, what);
            try
            {
                writer.AddTerm(name, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(docs), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(weights));
            }
            catch (DiscoException e)
            {
                throw file.Error($"{what}: {e.Message}");
            }
            progress?.Report(file.Position - lastReported);
            lastReported = file.Position;
        }
        writer.BeginSource(path, r => $"{path} document record {(r + 1).ToString(CultureInfo.InvariantCulture)}");
        for (var i = 0; i < header.NumDocRecords; i++)
        {
            var what = $"document record {i + 1} of {header.NumDocRecords}";
            if (file.AtEnd)
                throw file.Error($"ends after {i} document records; the header announces {header.NumDocRecords}");
            var (docid, collectionId) = Parse(file, what, input => ReadDocRecord(input, what));
            if (docid != i)
                throw file.Error($"{what} has docid {docid}; records must come in docid order (expected {i})");
            writer.AddDocument(collectionId);
        }
        if (!file.AtEnd)
            throw file.Error($"has data after the {header.NumPostingsLists} postings lists and {header.NumDocRecords} document records the header announces (byte {file.Position} of {file.Length})");
        progress?.Report(file.Position - lastReported);
        return writer.Complete();
    }

    private static T Parse<T>(CiffFile file, string what, Func<CodedInputStream, T> parse)
    {
        var input = file.Next(what);
        try
        {
            return parse(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw file.Error($"{what} is not a valid protobuf message ({e.Message.ReplaceLineEndings(" ")})");
        }
        catch (DiscoException e) when (e is not DataFormatException)
        {
            throw file.Error(e.Message);
        }
    }

    private static (string Term, long Df) ReadPostingsList(CodedInputStream input, CiffFile file, string what, int documents, List<int> docs, List<float> weights)
    {
        docs.Clear();
        weights.Clear();
        string term = "";
        long df = 0;
        long doc = -1;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    term = input.ReadString();
                    break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    df = input.ReadInt64();
                    break;
                case 3 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    input.ReadInt64();
                    break;
                case 4 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    {
                        var length = input.ReadLength();
                        var end = input.Position + length;
                        int gap = 0, tf = 0;
                        while (input.Position < end)
                        {
                            var t = input.ReadTag();
                            switch (WireFormat.GetTagFieldNumber(t))
                            {
                                case 1 when WireFormat.GetTagWireType(t) == WireFormat.WireType.Varint: gap = input.ReadInt32(); break;
                                case 2 when WireFormat.GetTagWireType(t) == WireFormat.WireType.Varint: tf = input.ReadInt32(); break;
                                default: Skip(input, t, [1, 2], what + ": a posting is not a Posting"); break;
                            }
                        }
                        if (input.Position != end)
                            throw file.Error($"{what}: a posting runs past its length");
                        // d-gaps: the first docid is absolute, each next one is the previous plus a positive gap.
                        if (docs.Count == 0 && doc < 0 ? gap < 0 : gap <= 0)
                            throw file.Error($"{what} (term \"{term}\"): posting {docs.Count + 1} has docid gap {gap}; docids must increase");
                        doc = doc < 0 ? gap : doc + gap;
                        if (doc >= documents)
                            throw file.Error($"{what} (term \"{term}\"): docid {doc} is not below the {documents} document records the header announces");
                        if (tf < 0)
                            throw file.Error($"{what} (term \"{term}\"): negative tf {tf} for docid {doc}");
                        docs.Add((int)doc);
                        weights.Add(tf);
                        break;
                    }
                default:
                    Skip(input, tag, [1, 2, 3, 4], what + " is not a PostingsList");
                    break;
            }
        }
        return (term, df);
    }

    /// <summary>Skips a field this reader does not know; a known field with another wire type means the message is of another kind.</summary>
    private static void Skip(CodedInputStream input, uint tag, int[] known, string problem)
    {
        if (known.Contains(WireFormat.GetTagFieldNumber(tag)))
            throw new DiscoException($"{problem} (field {WireFormat.GetTagFieldNumber(tag)} has wire type {WireFormat.GetTagWireType(tag)}); do the header's counts match the body?");
        input.SkipLastField();
    }

    private static (int Docid, string CollectionId) ReadDocRecord(CodedInputStream input, string what)
    {
        int docid = 0;
        string id = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: docid = input.ReadInt32(); break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited: id = input.ReadString(); break;
                case 3 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint: input.ReadInt32(); break;
                default: Skip(input, tag, [1, 2, 3], what + " is not a DocRecord"); break;
            }
        }
        return (docid, id);
    }

    /// <summary>With a vocabulary, a term that is a decimal token id (as some exporters write) becomes its token.</summary>
    private static string MapTerm(string term, IReadOnlyList<string>? vocabulary, CiffFile file, string what)
    {
        if (vocabulary is null || !int.TryParse(term, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return term;
        return id < vocabulary.Count ? vocabulary[id] : throw file.Error($"{what}: term id {id} is outside the vocabulary ({vocabulary.Count} tokens)");
    }
}
