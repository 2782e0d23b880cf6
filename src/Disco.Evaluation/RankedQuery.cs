namespace Disco.Evaluation;

/// <summary>
/// One query's ranking turned into grades by rank, the way trec_eval's form_res_rels does it: sort by
/// score descending, ties by document id in descending byte order, then look each document up in the qrels.
/// Reused across queries by one worker thread.
/// </summary>
internal sealed class RankedQuery
{
    /// <summary>Grade of a retrieved document that is not in the qrels (trec_eval RELVALUE_NONPOOL).</summary>
    public const int NotJudged = -1;

    /// <summary>Grade of a document in the qrels with a negative grade (trec_eval RELVALUE_UNJUDGED).</summary>
    public const int PooledUnjudged = -2;

    private (double Score, string Doc)[] _entries = new (double, string)[1024];
    private int[] _grades = new int[1024];
    private int[] _ideal = new int[64];

    /// <summary>Grades of the retrieved documents by rank.</summary>
    public ReadOnlySpan<int> Grades => _grades.AsSpan(0, Retrieved);

    /// <summary>Positive grades of all judged documents, descending: the ideal ranking's gains.</summary>
    public ReadOnlySpan<int> IdealGains => _ideal.AsSpan(0, IdealCount);

    public int Retrieved { get; private set; }

    public int IdealCount { get; private set; }

    /// <summary>Judged documents with grade at or above the relevance level (trec_eval num_rel).</summary>
    public int NumRel { get; private set; }

    public void Load(IReadOnlyDictionary<string, int> judgements, IReadOnlyDictionary<string, double>? run, int relevanceLevel)
    {
        var n = run?.Count ?? 0;
        if (_entries.Length < n)
        {
            _entries = new (double, string)[Math.Max(n, _entries.Length * 2)];
            _grades = new int[_entries.Length];
        }
        if (run is not null)
        {
            var i = 0;
            foreach (var (doc, score) in run)
                _entries[i++] = (score, doc);
        }
        var entries = _entries.AsSpan(0, n);
        entries.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(b.Doc, a.Doc);
        });
        for (var i = 0; i < n; i++)
        {
            _grades[i] = judgements.TryGetValue(entries[i].Doc, out var g) ? (g >= 0 ? g : PooledUnjudged) : NotJudged;
            entries[i].Doc = null!;
        }
        Retrieved = n;

        var numRel = 0;
        var ideal = 0;
        if (_ideal.Length < judgements.Count)
            _ideal = new int[judgements.Count];
        foreach (var g in judgements.Values)
        {
            // trec_eval counts only non-negative grades as judged; a level of 0 makes grade-0 documents relevant.
            if (g >= 0 && g >= relevanceLevel)
                numRel++;
            if (g > 0)
                _ideal[ideal++] = g;
        }
        _ideal.AsSpan(0, ideal).Sort(static (a, b) => b.CompareTo(a));
        IdealCount = ideal;
        NumRel = numRel;
    }
}
