using System.Runtime.CompilerServices;

namespace Disco.Index;

/// <summary>
/// Iterates one term's postings block by block. Decoding checks each block's structure (byte
/// length, document range, last document) so a damaged postings file raises an error instead of
/// producing out-of-range document ids. Reused across queries; not thread-safe.
/// </summary>
internal sealed unsafe class PostingCursor
{
    private readonly SparseIndex _index;
    private readonly BlockEntry* _blocks;
    private readonly byte* _base;
    private readonly int _impactBytes;
    private readonly ImpactEncoding _encoding;
    private readonly float _scale;
    private readonly int[] _docs = GC.AllocateArray<int>(IndexFormat.BlockSize, pinned: true);
    private readonly float[] _impacts = GC.AllocateArray<float>(IndexFormat.BlockSize, pinned: true);
    private int _firstBlock;
    private int _endBlock;
    private int _block;
    private int _shallow;
    private int _pos;
    private int _count;

    public PostingCursor(SparseIndex index)
    {
        _index = index;
        _blocks = index.BlockEntries;
        _base = index.PostingsBase;
        _encoding = index.Encoding;
        _impactBytes = IndexFormat.ImpactBytes(_encoding);
        _scale = index.Scale;
    }

    /// <summary>The current document, or int.MaxValue when the list is exhausted.</summary>
    public int Doc { get; private set; }

    public float Impact
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _impacts[_pos];
    }

    public void Reset(int term)
    {
        _firstBlock = _index.FirstBlock(term);
        _endBlock = _firstBlock + _index.BlockCount(term);
        _shallow = _firstBlock;
        if (_firstBlock == _endBlock)
        {
            _block = _endBlock;
            Doc = int.MaxValue;
            return;
        }
        Decode(_firstBlock);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next()
    {
        if (++_pos < _count)
        {
            Doc = _docs[_pos];
            return;
        }
        NextBlock();
    }

    /// <summary>Moves to the first document ≥ <paramref name="target"/>.</summary>
    public void NextGeq(int target)
    {
        if (Doc >= target)
            return;
        if (_blocks[_block].LastDoc < target)
        {
            var b = _block + 1;
            while (b < _endBlock && _blocks[b].LastDoc < target)
                b++;
            if (b == _endBlock)
            {
                Exhaust();
                return;
            }
            Decode(b);
        }
        var p = _pos;
        while (_docs[p] < target)
            p++;
        _pos = p;
        Doc = _docs[p];
    }

    /// <summary>
    /// The largest impact of the block that would hold <paramref name="target"/>, without decoding
    /// it (0 past the end). Targets must not decrease between calls.
    /// </summary>
    public float BlockMax(int target)
    {
        var b = Math.Max(_shallow, _block);
        while (b < _endBlock && _blocks[b].LastDoc < target)
            b++;
        _shallow = b;
        return b < _endBlock ? _blocks[b].MaxImpact : 0f;
    }

    /// <summary>
    /// Adds <c>weight * impact</c> into <c>acc[doc - lo]</c> for every posting with doc &lt; hi,
    /// leaving the cursor at the first posting ≥ hi.
    /// </summary>
    public void Accumulate(float* acc, int lo, int hi, float weight)
    {
        while (Doc < hi)
        {
            fixed (int* docs = _docs)
            fixed (float* impacts = _impacts)
            {
                var i = _pos;
                var n = _count;
                if (_docs[n - 1] < hi)
                {
                    for (; i < n; i++)
                        acc[docs[i] - lo] += weight * impacts[i];
                }
                else
                {
                    for (; docs[i] < hi; i++)
                        acc[docs[i] - lo] += weight * impacts[i];
                    _pos = i;
                    Doc = docs[i];
                    return;
                }
            }
            NextBlock();
        }
    }

    private void NextBlock()
    {
        if (_block + 1 < _endBlock)
            Decode(_block + 1);
        else
            Exhaust();
    }

    private void Exhaust()
    {
        _block = _endBlock - 1;
        _pos = _count - 1;
        Doc = int.MaxValue;
    }

    private void Decode(int block)
    {
        var n = _index.BlockLength(block, out var p);
        // The term's next block follows this one in postings.bin.
        if (block + 1 < _endBlock)
            _index.Prefetch(_blocks[block + 1].Offset, _blocks[block + 1].Offset - _blocks[block].Offset);
        fixed (float* impacts = _impacts)
        {
            switch (_encoding)
            {
                case ImpactEncoding.Float32:
                    Buffer.MemoryCopy(p, impacts, IndexFormat.BlockSize * sizeof(float), n * sizeof(float));
                    break;
                case ImpactEncoding.UInt16:
                    for (var i = 0; i < n; i++)
                        impacts[i] = ImpactCodec.Decode(Unsafe.ReadUnaligned<ushort>(p + (2 * i)), _scale);
                    break;
                default:
                    for (var i = 0; i < n; i++)
                        impacts[i] = ImpactCodec.Decode(p[i], _scale);
                    break;
            }
        }
        var offsets = p + (n * _impactBytes);
        var last = _blocks[block].LastDoc;
        var rangeStart = last & ~((1 << _index.RangeBits) - 1);
        long prev = block == _firstBlock ? -1 : _blocks[block - 1].LastDoc;
        var bad = (uint)last >= (uint)_index.DocumentCount;
        fixed (int* docs = _docs)
        {
            for (var i = 0; i < n; i++)
            {
                var doc = rangeStart + Unsafe.ReadUnaligned<ushort>(offsets + (IndexFormat.DocBytes * i));
                bad |= doc <= prev;
                prev = doc;
                docs[i] = doc;
            }
        }
        if (bad || prev != last)
            throw _index.Corrupt($"block {block} decodes to invalid document ids");
        _block = block;
        _count = n;
        _pos = 0;
        Doc = _docs[0];
    }
}
