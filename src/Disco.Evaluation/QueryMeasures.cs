namespace Disco.Evaluation;

/// <summary>Computes every requested value of one ranked query with trec_eval 10.0's definitions.</summary>
internal static class QueryMeasures
{
    public static void Compute(RankedQuery q, MeasureSet measures, int level, Span<double> row)
    {
        var grades = q.Grades;
        var n = grades.Length;
        var numRel = q.NumRel;
        var at = 0;
        foreach (var m in measures.Measures)
        {
            switch (m.Kind)
            {
                case MeasureKind.NumQ:
                    row[at++] = 1;
                    break;
                case MeasureKind.NumRet:
                    row[at++] = n;
                    break;
                case MeasureKind.NumRel:
                    row[at++] = numRel;
                    break;
                case MeasureKind.NumRelRet:
                    {
                        var count = 0;
                        foreach (var g in grades)
                        {
                            if (g >= 0 && g >= level)
                                count++;
                        }
                        row[at++] = count;
                        break;
                    }
                case MeasureKind.Map:
                    row[at++] = AveragePrecision(grades, numRel, level);
                    break;
                case MeasureKind.Rprec:
                    {
                        var look = Math.Min(n, numRel);
                        var rel = CountRelevant(grades[..look], level);
                        row[at++] = look == 0 ? 0 : (double)rel / numRel;
                        break;
                    }
                case MeasureKind.RecipRank:
                    row[at++] = ReciprocalRank(grades, level);
                    break;
                case MeasureKind.P:
                    foreach (var k in m.Cutoffs)
                        row[at++] = (double)CountRelevant(grades[..Math.Min(k, n)], level) / k;
                    break;
                case MeasureKind.Recall:
                    foreach (var k in m.Cutoffs)
                        row[at++] = numRel == 0 ? 0 : (double)CountRelevant(grades[..Math.Min(k, n)], level) / numRel;
                    break;
                case MeasureKind.Success:
                    foreach (var k in m.Cutoffs)
                        row[at++] = CountRelevant(grades[..Math.Min(k, n)], level) > 0 ? 1 : 0;
                    break;
                case MeasureKind.Ndcg:
                    {
                        var ideal = Dcg(q.IdealGains);
                        row[at++] = ideal > 0 ? Dcg(grades) / ideal : 0;
                        break;
                    }
                case MeasureKind.NdcgCut:
                    foreach (var k in m.Cutoffs)
                    {
                        var ideal = Dcg(q.IdealGains[..Math.Min(k, q.IdealCount)]);
                        var dcg = Dcg(grades[..Math.Min(k, n)]);
                        // trec_eval leaves the unnormalised DCG when the ideal is 0; it is then 0 as well.
                        row[at++] = ideal > 0 ? dcg / ideal : dcg;
                    }
                    break;
                case MeasureKind.Mrr:
                    foreach (var k in m.Cutoffs)
                        row[at++] = ReciprocalRank(grades[..Math.Min(k, n)], level);
                    break;
                case MeasureKind.Judged:
                    foreach (var k in m.Cutoffs)
                    {
                        var judged = 0;
                        foreach (var g in grades[..Math.Min(k, n)])
                        {
                            if (g >= 0)
                                judged++;
                        }
                        row[at++] = (double)judged / k;
                    }
                    break;
                default:
                    throw new InvalidOperationException($"measure {m.Kind} has no implementation");
            }
        }
    }

    private static int CountRelevant(ReadOnlySpan<int> grades, int level)
    {
        var count = 0;
        foreach (var g in grades)
        {
            if (g >= level)
                count++;
        }
        return count;
    }

    private static double AveragePrecision(ReadOnlySpan<int> grades, int numRel, int level)
    {
        var sum = 0.0;
        var relSoFar = 0;
        for (var i = 0; i < grades.Length; i++)
        {
            if (grades[i] >= level)
            {
                relSoFar++;
                sum += (double)relSoFar / (i + 1);
            }
        }
        return relSoFar > 0 ? sum / numRel : 0;
    }

    private static double ReciprocalRank(ReadOnlySpan<int> grades, int level)
    {
        for (var i = 0; i < grades.Length; i++)
        {
            if (grades[i] >= level)
                return 1.0 / (i + 1);
        }
        return 0;
    }

    /// <summary>Sum of grade / log2(rank + 1) over positive grades, accumulated in rank order as trec_eval does.</summary>
    private static double Dcg(ReadOnlySpan<int> gains)
    {
        var sum = 0.0;
        for (var i = 0; i < gains.Length; i++)
        {
            if (gains[i] > 0)
                sum += gains[i] / Math.Log2(i + 2);
        }
        return sum;
    }
}
