namespace Disco.Evaluation;

/// <summary>How runs are judged.</summary>
/// <param name="RelevanceLevel">trec_eval <c>-l</c>: grades at or above it count as relevant for binary measures; nDCG uses the raw grades.</param>
/// <param name="AllQrelsQueries">trec_eval <c>-c</c>: average over every qrels query; queries missing from the run are scored as empty rankings.</param>
public sealed record EvaluationOptions(int RelevanceLevel = 1, bool AllQrelsQueries = false);
