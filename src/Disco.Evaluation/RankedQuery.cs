using System.Numerics;
using Disco.Core;

namespace Disco.Evaluation;

/// <summary>
/// One query's ranking turned into grades by rank, with trec_eval's order (score descending, ties by document
/// id in descending byte order). Reused across queries by one worker thread.
/// </summary>
/// <remarks>
/// Only judged documents have a grade, so instead of sorting documents and looking each retrieved id up in
/// the qrels (which reads every id string: a cache miss per document on large runs), each judged document is
/// looked up in the run and its rank found from its score: documents scoring higher, plus tied documents with
/// a larger id. With few judged documents the higher scores are counted directly (SIMD); with many, the
/// scores are sorted once and searched. Ids are compared only between tied documents.
/// </remarks>
internal sealed class RankedQuery
{
    /// <summary>Grade of a retrieved document that is not in the qrels (trec_eval RELVALUE_NONPOOL).</summary>
    public const int NotJudged = -1;

    /// <summary>Grade of a document in the qrels with a negative grade (trec_eval RELVALUE_UNJUDGED).</summary>
    public const int PooledUnjudged = -2;

    private double[] _scores = new double[1024];
    private int[] _grades = new int[1024];
    private int[] _ideal = new int[64];
    private (int Grade, double Score, string Doc)[] _retrievedJudged = new (int, double, string)[64];

    /// <summary>Above this many judged retrieved documents, sorting the scores beats counting per document.</summary>
    private const int CountingLimit = 48;

    /// <summary>Grades of the retrieved documents by rank.</summary>
    public ReadOnlySpan<int> Grades => _grades.AsSpan(0, Retrieved);

    /// <summary>Positive grades of all judged documents, descending: the ideal ranking's gains.</summary>
    public ReadOnlySpan<int> IdealGains => _ideal.AsSpan(0, IdealCount);

    public int Retrieved { get; private set; }

    public int IdealCount { get; private set; }

    /// <summary>Judged documents with grade at or above the relevance level (trec_eval num_rel).</summary>
    public int NumRel { get; private set; }

    public void Load(string queryId, IReadOnlyDictionary<string, int> judgements, IReadOnlyDictionary<string, double>? run, int relevanceLevel)
    {
        var n = run?.Count ?? 0;
        if (_scores.Length < n)
        {
            _scores = new double[Math.Max(n, _scores.Length * 2)];
            _grades = new int[_scores.Length];
        }
        if (run is not null)
        {
            var i = 0;
            foreach (var score in run.Values)
            {
                if (double.IsNaN(score))
                    throw new DiscoException($"query '{queryId}': a score is NaN");
                _scores[i++] = score;
            }
        }
        var scores = _scores.AsSpan(0, n);
        _grades.AsSpan(0, n).Fill(NotJudged);

        var numRel = 0;
        var ideal = 0;
        var found = 0;
        if (_ideal.Length < judgements.Count)
        {
            _ideal = new int[judgements.Count];
            _retrievedJudged = new (int, double, string)[judgements.Count];
        }
        foreach (var (doc, g) in judgements)
        {
            // trec_eval counts only non-negative grades as judged; a level of 0 makes grade-0 documents relevant.
            if (g >= 0 && g >= relevanceLevel)
                numRel++;
            if (g > 0)
                _ideal[ideal++] = g;
            if (run is not null && run.TryGetValue(doc, out var score))
                _retrievedJudged[found++] = (g >= 0 ? g : PooledUnjudged, score, doc);
        }
        var sorted = found > CountingLimit;
        if (sorted)
            scores.Sort();
        foreach (var (grade, score, doc) in _retrievedJudged.AsSpan(0, found))
        {
            var (higher, tied) = sorted ? SearchSorted(scores, score) : Count(scores, score);
            var rank = higher;
            if (tied > 1)
            {
                foreach (var (other, otherScore) in run!)
                {
                    if (otherScore == score && string.CompareOrdinal(other, doc) > 0)
                        rank++;
                }
            }
            _grades[rank] = grade;
        }
        _retrievedJudged.AsSpan(0, found).Clear();
        _ideal.AsSpan(0, ideal).Sort(static (a, b) => b.CompareTo(a));
        IdealCount = ideal;
        NumRel = numRel;
        Retrieved = n;
    }

    /// <summary>Scores above <paramref name="value"/> and equal to it, by a vectorised scan of unsorted scores.</summary>
    private static (int Higher, int Tied) Count(ReadOnlySpan<double> scores, double value)
    {
        var target = new Vector<double>(value);
        var higher = Vector<long>.Zero;
        var tied = Vector<long>.Zero;
        var i = 0;
        for (; i <= scores.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var block = new Vector<double>(scores[i..]);
            // Comparison lanes are all ones (-1) when true.
            higher -= Vector.GreaterThan(block, target);
            tied -= Vector.Equals(block, target);
        }
        var h = (int)Vector.Sum(higher);
        var t = (int)Vector.Sum(tied);
        for (; i < scores.Length; i++)
        {
            if (scores[i] > value)
                h++;
            else if (scores[i] == value)
                t++;
        }
        return (h, t);
    }

    /// <summary>Scores above <paramref name="value"/> and equal to it, in ascending sorted scores.</summary>
    private static (int Higher, int Tied) SearchSorted(ReadOnlySpan<double> ascending, double value)
    {
        var first = LowerBound(ascending, value);
        var after = first;
        while (after < ascending.Length && ascending[after] == value)
            after++;
        return (ascending.Length - after, after - first);
    }

    private static int LowerBound(ReadOnlySpan<double> ascending, double value)
    {
        int lo = 0, hi = ascending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ascending[mid] < value)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
