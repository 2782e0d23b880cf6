using System.Text;

namespace Disco.Index;

/// <summary>
/// Constants of the on-disk index format (docs/index-format.md). Every binary file starts with a
/// 16-byte header: an 8-byte ASCII magic, a little-endian uint32 format version and 4 reserved bytes.
/// </summary>
internal static class IndexFormat
{
    public const string FormatName = "disco-sparse-index";
    public const int Version = 2;
    public const int HeaderBytes = 16;
    public const int BlockSize = 128;

    /// <summary>
    /// Blocks never cross a document range of 2^rangeBits documents and store each document as its
    /// 16-bit offset in the range, so a range's postings scatter straight into a range-sized
    /// accumulator without decoding. 16 (64K documents, a 256 KB float accumulator that stays in L2)
    /// unless a build asks for smaller ranges (tests use them to cross many range boundaries).
    /// </summary>
    public const int DefaultRangeBits = 16;
    public const int MinRangeBits = 4;
    public const int MaxRangeBits = 16;

    /// <summary>Bytes a document takes in a block (its offset within the range).</summary>
    public const int DocBytes = 2;

    /// <summary>Zero bytes after the last block (version 1 decoders read whole 64-bit words past a block's end; kept so the layout stays simple to check).</summary>
    public const int PostingsPadding = 64;

    public const string MetaFile = "meta.json";
    public const string PostingsFile = "postings.bin";
    public const string BlocksFile = "blocks.bin";
    public const string TermsFile = "terms.bin";
    public const string DocIdsFile = "docids.bin";
    public const string DocOffsetsFile = "docoffsets.bin";

    public static readonly IReadOnlyDictionary<string, string> Magics = new Dictionary<string, string>
    {
        [PostingsFile] = "DSCPOSTS",
        [BlocksFile] = "DSCBLOCK",
        [TermsFile] = "DSCTERMS",
        [DocIdsFile] = "DSCDOCID",
        [DocOffsetsFile] = "DSCDOCOF",
    };

    public static byte[] Header(string file) => Header(Magics[file], Version);

    /// <summary>A header with an explicit magic and version (files of a section with its own version).</summary>
    public static byte[] Header(string magic, int version)
    {
        var header = new byte[HeaderBytes];
        Encoding.ASCII.GetBytes(magic).CopyTo(header, 0);
        BitConverter.TryWriteBytes(header.AsSpan(8), (uint)version);
        return header;
    }

    public static int ImpactBytes(ImpactEncoding encoding) => encoding switch
    {
        ImpactEncoding.Float32 => 4,
        ImpactEncoding.UInt16 => 2,
        ImpactEncoding.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    public static int MaxCode(ImpactEncoding encoding) => encoding switch
    {
        ImpactEncoding.UInt16 => ushort.MaxValue,
        ImpactEncoding.UInt8 => byte.MaxValue,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };
}
