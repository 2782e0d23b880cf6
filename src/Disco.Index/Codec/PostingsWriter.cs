using System.Buffers.Binary;
using System.Text;

namespace Disco.Index;

/// <summary>
/// Writes postings.bin, blocks.bin and terms.bin term by term (terms in id order, documents in
/// increasing order within a term). A block holds up to 128 postings of one document range
/// (2^rangeBits documents) as <c>[impacts: n x (4|2|1) bytes][n x uint16 document offsets in the
/// range]</c>. blocks.bin holds one 16-byte record per block (last doc, max impact, byte offset)
/// plus a sentinel with the end offset.
/// </summary>
internal sealed class PostingsWriter : IDisposable
{
    private readonly ChecksummedFile _postings;
    private readonly ChecksummedFile _blocks;
    private readonly ImpactEncoding _encoding;
    private readonly float _scale;
    private readonly int _maxCode;
    private readonly int _rangeBits;
    private readonly int[] _docs = new int[IndexFormat.BlockSize];
    private readonly float[] _weights = new float[IndexFormat.BlockSize];
    private readonly byte[] _blockBytes = new byte[IndexFormat.BlockSize * (4 + IndexFormat.DocBytes)];
    private readonly List<TermEntry> _terms = [];
    private int _count;
    private long _termPostings;
    private int _termFirstBlock;
    private float _termMax;

    public PostingsWriter(string directory, ImpactEncoding encoding, float scale, int rangeBits)
    {
        _encoding = encoding;
        _rangeBits = rangeBits;
        _scale = scale;
        _maxCode = encoding == ImpactEncoding.Float32 ? 0 : IndexFormat.MaxCode(encoding);
        _postings = new ChecksummedFile(Path.Combine(directory, IndexFormat.PostingsFile));
        _blocks = new ChecksummedFile(Path.Combine(directory, IndexFormat.BlocksFile));
        _postings.Write(IndexFormat.Header(IndexFormat.PostingsFile));
        _blocks.Write(IndexFormat.Header(IndexFormat.BlocksFile));
    }

    public long PostingCount { get; private set; }

    public long BlockCount { get; private set; }

    public IReadOnlyList<TermEntry> Terms => _terms;

    public ChecksummedFile PostingsFile => _postings;

    public ChecksummedFile BlocksFile => _blocks;

    public void BeginTerm()
    {
        _count = 0;
        _termPostings = 0;
        _termFirstBlock = checked((int)BlockCount);
        _termMax = 0;
    }

    public void Add(int doc, float weight)
    {
        if (_count > 0 && (doc >> _rangeBits) != (_docs[0] >> _rangeBits))
            FlushBlock();
        _docs[_count] = doc;
        _weights[_count] = weight;
        if (++_count == IndexFormat.BlockSize)
            FlushBlock();
    }

    public void EndTerm(string term)
    {
        if (_count > 0)
            FlushBlock();
        _terms.Add(new TermEntry(term, _termPostings, _termFirstBlock, checked((int)(BlockCount - _termFirstBlock)), _termMax));
    }

    /// <summary>Writes the block sentinel, the padding and terms.bin.</summary>
    public void Complete(string directory, out ChecksummedFile termsFile)
    {
        _blocks.WriteInt32(-1);
        _blocks.WriteSingle(0);
        _blocks.WriteInt64(_postings.Length);
        _postings.Write(new byte[IndexFormat.PostingsPadding]);
        _postings.Complete();
        _blocks.Complete();
        termsFile = new ChecksummedFile(Path.Combine(directory, IndexFormat.TermsFile));
        termsFile.Write(IndexFormat.Header(IndexFormat.TermsFile));
        termsFile.WriteInt32(_terms.Count);
        foreach (var t in _terms)
        {
            var bytes = Encoding.UTF8.GetBytes(t.Term);
            termsFile.WriteInt64(t.Postings);
            termsFile.WriteInt32(t.FirstBlock);
            termsFile.WriteInt32(t.BlockCount);
            termsFile.WriteSingle(t.MaxImpact);
            termsFile.WriteInt32(bytes.Length);
            termsFile.Write(bytes);
        }
        termsFile.Complete();
    }

    public void Dispose()
    {
        _postings.Dispose();
        _blocks.Dispose();
    }

    private void FlushBlock()
    {
        var n = _count;
        var span = _blockBytes.AsSpan();
        var pos = 0;
        var maxImpact = 0f;
        for (var i = 0; i < n; i++)
        {
            float impact;
            switch (_encoding)
            {
                case ImpactEncoding.Float32:
                    impact = _weights[i];
                    BinaryPrimitives.WriteSingleLittleEndian(span[pos..], impact);
                    pos += 4;
                    break;
                case ImpactEncoding.UInt16:
                    {
                        var code = ImpactCodec.Quantize(_weights[i], _scale, _maxCode);
                        impact = ImpactCodec.Decode(code, _scale);
                        BinaryPrimitives.WriteUInt16LittleEndian(span[pos..], (ushort)code);
                        pos += 2;
                        break;
                    }
                default:
                    {
                        var code = ImpactCodec.Quantize(_weights[i], _scale, _maxCode);
                        impact = ImpactCodec.Decode(code, _scale);
                        span[pos++] = (byte)code;
                        break;
                    }
            }
            maxImpact = Math.Max(maxImpact, impact);
        }
        var mask = (1 << _rangeBits) - 1;
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[pos..], (ushort)(_docs[i] & mask));
            pos += IndexFormat.DocBytes;
        }
        _blocks.WriteInt32(_docs[n - 1]);
        _blocks.WriteSingle(maxImpact);
        _blocks.WriteInt64(_postings.Length);
        _postings.Write(span[..pos]);
        _termMax = Math.Max(_termMax, maxImpact);
        _termPostings += n;
        PostingCount += n;
        BlockCount++;
        _count = 0;
    }

    internal readonly record struct TermEntry(string Term, long Postings, int FirstBlock, int BlockCount, float MaxImpact);
}
