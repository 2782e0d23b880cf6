using Disco.Evaluation;

namespace Disco.Training;

/// <summary>
/// Validation by re-ranking: each dev query's candidates (a first-stage run) are scored by the
/// recipe's current model, then MRR@10 and R@100 are computed against the dev qrels (relevance ≥ 1)
/// by the evaluation library (trec_eval semantics). Re-ranking a fixed candidate set keeps
/// validation affordable on collections of millions of passages, unlike the reference's full index.
/// </summary>
public sealed class CandidateValidation
{
    private const string MrrName = "mrr_10";
    private const string RecallName = "recall_100";
    private static readonly MeasureSet Measures = MeasureSet.Parse([MrrName, RecallName]);

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> _qrels;
    private readonly ValidationQuery[] _queries;

    public CandidateValidation(
        IReadOnlyDictionary<string, string> queries,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> candidates)
    {
        ArgumentNullException.ThrowIfNull(queries);
        _qrels = qrels ?? throw new ArgumentNullException(nameof(qrels));
        ArgumentNullException.ThrowIfNull(candidates);
        // Only queries with text and at least one relevant document count; each keeps its
        // candidates in the run's order.
        _queries = [.. candidates.Keys
            .Where(q => queries.ContainsKey(q) && qrels.TryGetValue(q, out var j) && j.Values.Any(r => r >= 1))
            .Order(StringComparer.Ordinal)
            .Select(q => new ValidationQuery(q, queries[q], [.. candidates[q].Keys]))];
    }

    public ValidationResult Evaluate(ITrainingRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (_queries.Length == 0)
            return new ValidationResult(0, 0, 0);
        var run = recipe.ScoreCandidates(_queries);
        var result = Evaluator.Evaluate(_qrels, run, Measures);
        return new ValidationResult(result[MrrName], result[RecallName], _queries.Length);
    }
}
