using Disco.Core;

namespace Disco.Evaluation;

/// <summary>
/// Several runs evaluated with the same measures, compared with the first (the baseline) by paired tests over
/// the queries evaluated in both runs.
/// </summary>
public sealed class RunComparison
{
    private RunComparison(IReadOnlyList<string> runNames, IReadOnlyList<EvaluationResult> results, IReadOnlyList<RunComparisonRow> rows, IReadOnlyList<int> pairedQueries)
    {
        RunNames = runNames;
        Results = results;
        Rows = rows;
        PairedQueries = pairedQueries;
    }

    /// <summary>Run labels (usually file names); index 0 is the baseline.</summary>
    public IReadOnlyList<string> RunNames { get; }

    /// <summary>The full evaluation of each run.</summary>
    public IReadOnlyList<EvaluationResult> Results { get; }

    /// <summary>One row per printed measure.</summary>
    public IReadOnlyList<RunComparisonRow> Rows { get; }

    /// <summary>Per run, the number of queries paired with the baseline (0 for the baseline itself).</summary>
    public IReadOnlyList<int> PairedQueries { get; }

    /// <summary>Compares evaluated runs; all must use the same measures.</summary>
    public static RunComparison Compare(IReadOnlyList<string> runNames, IReadOnlyList<EvaluationResult> results, int trials = SignificanceTest.DefaultTrials, int seed = SignificanceTest.DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(runNames);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0 || runNames.Count != results.Count)
            throw new ArgumentException("need one name per result and at least one result", nameof(results));
        var names = results[0].ValueNames;
        if (results.Any(r => !r.ValueNames.SequenceEqual(names)))
            throw new DiscoException("runs were evaluated with different measures");

        var baseline = results[0].Queries.ToDictionary(q => q.QueryId, StringComparer.Ordinal);
        var paired = new int[results.Count];
        var pairs = new (double[] A, double[] B)[results.Count][];
        for (var r = 1; r < results.Count; r++)
        {
            var common = results[r].Queries.Where(q => baseline.ContainsKey(q.QueryId)).ToArray();
            paired[r] = common.Length;
            pairs[r] = new (double[], double[])[names.Count];
            for (var j = 0; j < names.Count; j++)
                pairs[r][j] = ([.. common.Select(q => baseline[q.QueryId].Values[j])], [.. common.Select(q => q.Values[j])]);
        }

        var rows = new RunComparisonRow[names.Count];
        for (var j = 0; j < names.Count; j++)
        {
            var isCount = results[0].IsCount[j];
            var t = new double[results.Count];
            var rand = new double[results.Count];
            t[0] = rand[0] = double.NaN;
            for (var r = 1; r < results.Count; r++)
            {
                if (isCount)
                {
                    t[r] = rand[r] = double.NaN;
                    continue;
                }
                var (a, b) = pairs[r][j];
                t[r] = SignificanceTest.PairedTTest(a, b);
                rand[r] = SignificanceTest.Randomization(a, b, trials, seed);
            }
            rows[j] = new RunComparisonRow(names[j], isCount, [.. results.Select(x => x.Summary[j])], t, rand);
        }
        return new RunComparison(runNames, results, rows, paired);
    }
}
