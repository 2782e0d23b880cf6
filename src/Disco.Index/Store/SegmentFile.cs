namespace Disco.Index;

/// <summary>
/// A temporary sorted run of postings written when the in-memory buffer is full: records
/// <c>[int32 term][int32 count][(int32 doc, float32 weight) x count]</c> in increasing term order,
/// ended by term -1. Internal to a build; never read outside it.
/// </summary>
internal sealed class SegmentFile : IDisposable
{
    private readonly BinaryReader _reader;
    private int _remaining;

    private SegmentFile(string path)
    {
        _reader = new BinaryReader(new BufferedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1), 1 << 16));
        Advance();
    }

    /// <summary>The term of the current record, or int.MaxValue when the segment is exhausted.</summary>
    public int Term { get; private set; }

    public static SegmentFile Open(string path) => new(path);

    /// <summary>Writes one segment; postings of term t are at [termStarts[t], termStarts[t+1]) in doc order.</summary>
    public static void Write(string path, int termCount, ReadOnlySpan<int> termStarts, ReadOnlySpan<int> docs, ReadOnlySpan<float> weights)
    {
        using var writer = new BinaryWriter(new BufferedStream(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1), 1 << 16));
        for (var t = 0; t < termCount; t++)
        {
            var start = termStarts[t];
            var end = termStarts[t + 1];
            if (end == start)
                continue;
            writer.Write(t);
            writer.Write(end - start);
            for (var i = start; i < end; i++)
            {
                writer.Write(docs[i]);
                writer.Write(weights[i]);
            }
        }
        writer.Write(-1);
    }

    /// <summary>Reads all postings (document, weight) of the current term into the sink, then moves to the next term.</summary>
    public void CopyTerm(Action<int, float> sink)
    {
        while (_remaining > 0)
        {
            var doc = _reader.ReadInt32();
            var weight = _reader.ReadSingle();
            sink(doc, weight);
            _remaining--;
        }
        Advance();
    }

    public void Dispose() => _reader.Dispose();

    private void Advance()
    {
        var term = _reader.ReadInt32();
        if (term < 0)
        {
            Term = int.MaxValue;
            _remaining = 0;
            return;
        }
        Term = term;
        _remaining = _reader.ReadInt32();
    }
}
