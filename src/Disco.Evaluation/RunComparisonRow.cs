namespace Disco.Evaluation;

/// <summary>One measure across runs: each run's summary value and, for runs after the baseline, paired p-values.</summary>
/// <param name="ValueName">Printed measure name (<c>map</c>, <c>P_10</c>, ...).</param>
/// <param name="IsCount">True for num_q, num_ret, num_rel, num_rel_ret (no tests for them).</param>
/// <param name="Values">Summary value per run; index 0 is the baseline.</param>
/// <param name="TTestP">Paired t-test p-value per run against the baseline (NaN for the baseline and counts).</param>
/// <param name="RandomizationP">Randomisation test p-value per run against the baseline (NaN likewise).</param>
public sealed record RunComparisonRow(string ValueName, bool IsCount, IReadOnlyList<double> Values, IReadOnlyList<double> TTestP, IReadOnlyList<double> RandomizationP);
