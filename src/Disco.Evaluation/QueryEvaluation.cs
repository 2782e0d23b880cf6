namespace Disco.Evaluation;

/// <summary>The values of one query, aligned with <see cref="EvaluationResult.ValueNames"/>.</summary>
/// <param name="QueryId">The query id.</param>
/// <param name="Values">One value per printed measure name.</param>
/// <param name="InRun">False for a qrels query missing from the run (only evaluated with -c).</param>
public sealed record QueryEvaluation(string QueryId, IReadOnlyList<double> Values, bool InRun);
