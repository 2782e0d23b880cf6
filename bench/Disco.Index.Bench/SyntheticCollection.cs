namespace Disco.Index.Bench;

/// <summary>
/// SPLADE-like synthetic sparse vectors, documents drawn independently of each other (parameters
/// and their justification in docs/benchmarks.md, "Index and search"):
/// <list type="bullet">
/// <item>term popularity Zipf-like over the 30522-term BERT vocabulary: term of rank r is drawn
/// with probability ∝ r^-s (s = 0.6), ranks mapped to vocabulary ids by a fixed random permutation;</item>
/// <item>100-250 distinct terms per document, 20-60 per query (uniform), drawn without replacement;</item>
/// <item>log-normal weights exp(N(μ, σ)) whose μ grows with the term's rank (rarer terms weigh
/// more, as SPLADE's weights behave like IDF): documents μ = -0.9 + 0.6·ln(r)/ln(V), σ = 0.6;
/// queries μ = -0.6 + 0.6·ln(r)/ln(V), σ = 0.7.</item>
/// </list>
/// See <see cref="ClusteredCollection"/> for the topically clustered variant.
/// </summary>
internal class SyntheticCollection
{
    public const int Vocabulary = 30522;
    public const double ZipfExponent = 0.6;
    private readonly ZipfSampler _popularity = new(Vocabulary, ZipfExponent);
    private readonly int[] _rankToTerm;
    private readonly int[] _termRank;
    private readonly int[] _stamp = new int[Vocabulary];
    private int _row;

    public SyntheticCollection(int seed)
    {
        Random = new Random(seed);
        _rankToTerm = [.. Enumerable.Range(0, Vocabulary)];
        Random.Shuffle(_rankToTerm);
        _termRank = new int[Vocabulary];
        for (var r = 0; r < Vocabulary; r++)
            _termRank[_rankToTerm[r]] = r;
    }

    protected Random Random { get; }

    /// <summary>Writes documents (<paramref name="query"/> false) or queries as CSR files at <paramref name="prefix"/>.</summary>
    public void Write(string prefix, int rows, bool query)
    {
        using var writer = new CsrWriter(prefix);
        var row = new List<(int Term, float Weight)>(256);
        for (var i = 0; i < rows; i++)
        {
            _row++;
            row.Clear();
            FillRow(row, query);
            writer.WriteRow(row);
        }
    }

    /// <summary>Draws one row of distinct terms with their weights.</summary>
    protected virtual void FillRow(List<(int Term, float Weight)> row, bool query)
    {
        var n = query ? Random.Next(20, 61) : Random.Next(100, 251);
        while (row.Count < n)
            TryAdd(row, PopularTerm(), query, 0);
    }

    /// <summary>A term drawn from the collection-wide popularity distribution.</summary>
    protected int PopularTerm() => _rankToTerm[_popularity.Next(Random)];

    protected int TermAtRank(int rank) => _rankToTerm[rank];

    /// <summary>
    /// Adds <paramref name="term"/> unless the row has it, with a log-normal weight that grows with
    /// the term's rarity, raised by <paramref name="boost"/> in log space; false when it was there.
    /// </summary>
    protected bool TryAdd(List<(int Term, float Weight)> row, int term, bool query, double boost)
    {
        if (_stamp[term] == _row)
            return false;
        _stamp[term] = _row;
        var (mu0, sigma) = query ? (-0.6, 0.7) : (-0.9, 0.6);
        var mu = mu0 + boost + (0.6 * Math.Log(_termRank[term] + 1) / Math.Log(Vocabulary));
        row.Add((term, (float)Math.Exp(mu + (sigma * Gaussian()))));
        return true;
    }

    private double Gaussian()
    {
        // Box-Muller; one value per call keeps the stream simple and reproducible.
        var u1 = 1.0 - Random.NextDouble();
        var u2 = Random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
