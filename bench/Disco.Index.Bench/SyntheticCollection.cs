namespace Disco.Index.Bench;

/// <summary>
/// SPLADE-like synthetic sparse vectors (parameters and their justification in
/// docs/benchmarks.md, "Index and search"):
/// <list type="bullet">
/// <item>term popularity Zipf-like over the 30522-term BERT vocabulary: term of rank r is drawn
/// with probability ∝ r^-s (s = 0.6), ranks mapped to vocabulary ids by a fixed random permutation;</item>
/// <item>100-250 distinct terms per document, 20-60 per query (uniform), drawn without replacement;</item>
/// <item>log-normal weights exp(N(μ, σ)) whose μ grows with the term's rank (rarer terms weigh
/// more, as SPLADE's weights behave like IDF): documents μ = -0.9 + 0.6·ln(r)/ln(V), σ = 0.6;
/// queries μ = -0.6 + 0.6·ln(r)/ln(V), σ = 0.7.</item>
/// </list>
/// Written as CSR arrays: <c>NAME.indptr</c> (int64, n+1), <c>NAME.terms</c> (int32 vocabulary ids,
/// increasing within a row) and <c>NAME.weights</c> (float32), readable with numpy.fromfile.
/// </summary>
internal sealed class SyntheticCollection
{
    public const int Vocabulary = 30522;
    public const double ZipfExponent = 0.6;
    private readonly Random _random;
    private readonly double[] _cumulative;
    private readonly int[] _rankToTerm;
    private readonly int[] _termRank;
    private readonly int[] _stamp = new int[Vocabulary];
    private int _row;

    public SyntheticCollection(int seed)
    {
        _random = new Random(seed);
        _cumulative = new double[Vocabulary];
        var sum = 0.0;
        for (var r = 0; r < Vocabulary; r++)
        {
            sum += Math.Pow(r + 1, -ZipfExponent);
            _cumulative[r] = sum;
        }
        for (var r = 0; r < Vocabulary; r++)
            _cumulative[r] /= sum;
        _rankToTerm = [.. Enumerable.Range(0, Vocabulary)];
        _random.Shuffle(_rankToTerm);
        _termRank = new int[Vocabulary];
        for (var r = 0; r < Vocabulary; r++)
            _termRank[_rankToTerm[r]] = r;
    }

    public void Write(string prefix, int rows, int minTerms, int maxTerms, double mu0, double sigma)
    {
        using var indptr = new BinaryWriter(new BufferedStream(File.Create(prefix + ".indptr"), 1 << 20));
        using var terms = new BinaryWriter(new BufferedStream(File.Create(prefix + ".terms"), 1 << 20));
        using var weights = new BinaryWriter(new BufferedStream(File.Create(prefix + ".weights"), 1 << 20));
        long offset = 0;
        indptr.Write(offset);
        var row = new List<int>(maxTerms);
        for (var i = 0; i < rows; i++)
        {
            var n = _random.Next(minTerms, maxTerms + 1);
            _row++;
            row.Clear();
            while (row.Count < n)
            {
                var rank = Array.BinarySearch(_cumulative, _random.NextDouble());
                rank = rank < 0 ? ~rank : rank;
                rank = Math.Min(rank, Vocabulary - 1);
                var term = _rankToTerm[rank];
                if (_stamp[term] == _row)
                    continue;
                _stamp[term] = _row;
                row.Add(term);
            }
            row.Sort();
            foreach (var t in row)
            {
                var mu = mu0 + (0.6 * Math.Log(_termRank[t] + 1) / Math.Log(Vocabulary));
                terms.Write(t);
                weights.Write((float)Math.Exp(mu + (sigma * Gaussian())));
            }
            offset += n;
            indptr.Write(offset);
        }
    }

    private double Gaussian()
    {
        // Box-Muller; one value per call keeps the stream simple and reproducible.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
