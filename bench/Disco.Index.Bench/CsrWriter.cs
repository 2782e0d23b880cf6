namespace Disco.Index.Bench;

/// <summary>
/// Writes rows of a CSR triple: <c>NAME.indptr</c> (int64, n+1), <c>NAME.terms</c> (int32
/// vocabulary ids, increasing within a row) and <c>NAME.weights</c> (float32), readable with numpy.fromfile.
/// </summary>
internal sealed class CsrWriter : IDisposable
{
    private readonly BinaryWriter _indptr;
    private readonly BinaryWriter _terms;
    private readonly BinaryWriter _weights;
    private long _offset;

    public CsrWriter(string prefix)
    {
        _indptr = new BinaryWriter(new BufferedStream(File.Create(prefix + ".indptr"), 1 << 20));
        _terms = new BinaryWriter(new BufferedStream(File.Create(prefix + ".terms"), 1 << 20));
        _weights = new BinaryWriter(new BufferedStream(File.Create(prefix + ".weights"), 1 << 20));
        _indptr.Write(_offset);
    }

    public long Postings => _offset;

    /// <summary>Writes one row of distinct terms (sorted here by term, with their weights).</summary>
    public void WriteRow(List<(int Term, float Weight)> row)
    {
        row.Sort((a, b) => a.Term.CompareTo(b.Term));
        foreach (var (t, w) in row)
        {
            _terms.Write(t);
            _weights.Write(w);
        }
        _offset += row.Count;
        _indptr.Write(_offset);
    }

    public void Dispose()
    {
        _indptr.Dispose();
        _terms.Dispose();
        _weights.Dispose();
    }
}
