using Disco.Core;

namespace Disco.Evaluation;

/// <summary>
/// Evaluates a run against qrels with trec_eval 10.0's semantics (see docs/evaluation.md), in parallel over
/// queries. Values are summed in query order afterwards, so results do not depend on thread scheduling.
/// </summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="run"/>; by default over the queries in both run and qrels.</summary>
    public static EvaluationResult Evaluate(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> run,
        MeasureSet measures,
        EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(measures);
        options ??= new EvaluationOptions();
        var level = options.RelevanceLevel;

        // trec_eval walks the qrels queries in strcmp order and skips run queries without judgements.
        // Deviation: trec_eval 10.0 aborts ("result qid not found in qrels") when a qrels query is missing from
        // the run without -c; we evaluate the intersection, as trec_eval 9 and pytrec_eval do.
        var qids = qrels.Keys.Where(q => options.AllQrelsQueries || run.ContainsKey(q)).ToArray();
        Array.Sort(qids, StringComparer.Ordinal);
        if (qids.Length == 0)
            throw new DiscoException("no queries with both results and relevance judgements (check that the query ids of run and qrels match)");
        var ignored = run.Keys.Count(q => !qrels.ContainsKey(q));

        var width = measures.ValueNames.Count;
        var rows = new double[qids.Length][];
        Parallel.For(0, qids.Length, () => new RankedQuery(), (i, _, ranked) =>
        {
            run.TryGetValue(qids[i], out var docs);
            ranked.Load(qids[i], qrels[qids[i]], docs, level);
            var row = new double[width];
            QueryMeasures.Compute(ranked, measures, level, row);
            rows[i] = row;
            return ranked;
        }, _ => { });

        var summary = new double[width];
        foreach (var row in rows)
        {
            for (var j = 0; j < width; j++)
                summary[j] += row[j];
        }
        var at = 0;
        foreach (var m in measures.Measures)
        {
            foreach (var _ in m.ValueNames)
            {
                summary[at] = m.Kind switch
                {
                    MeasureKind.NumQ => qids.Length,
                    MeasureKind.NumRet or MeasureKind.NumRelRet => summary[at],
                    // trec_eval quirk kept: with -c the summary num_rel counts grades > 0 in all qrels, ignoring -l.
                    MeasureKind.NumRel => options.AllQrelsQueries ? CountPositive(qrels) : summary[at],
                    _ => summary[at] / qids.Length,
                };
                at++;
            }
        }
        var queries = new QueryEvaluation[qids.Length];
        for (var i = 0; i < qids.Length; i++)
            queries[i] = new QueryEvaluation(qids[i], rows[i], run.ContainsKey(qids[i]));
        return new EvaluationResult(measures, queries, summary, ignored);
    }

    private static long CountPositive(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels) =>
        qrels.Values.Sum(docs => (long)docs.Values.Count(g => g > 0));
}
