using Disco.Evaluation;

namespace Disco.Training;

/// <summary>
/// Validation by re-ranking: each dev query's candidates (a first-stage run) are scored with the
/// student query encoder against the cached document representations, then MRR@10 and R@100 are
/// computed against the dev qrels (relevance ≥ 1) by the evaluation library (trec_eval semantics). Re-ranking a fixed candidate set keeps
/// validation affordable on collections of millions of passages, unlike the reference's full index.
/// </summary>
public sealed class CandidateValidation
{
    private const string MrrName = "mrr_10";
    private const string RecallName = "recall_100";
    private static readonly MeasureSet Measures = MeasureSet.Parse([MrrName, RecallName]);

    private readonly IReadOnlyDictionary<string, string> _queries;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> _qrels;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> _candidates;

    public CandidateValidation(
        IReadOnlyDictionary<string, string> queries,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> candidates)
    {
        _queries = queries ?? throw new ArgumentNullException(nameof(queries));
        _qrels = qrels ?? throw new ArgumentNullException(nameof(qrels));
        _candidates = candidates ?? throw new ArgumentNullException(nameof(candidates));
    }

    public ValidationResult Evaluate(RepresentationEncoder queryEncoder, DocumentRepresentationCache documents, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(queryEncoder);
        ArgumentNullException.ThrowIfNull(documents);
        var ids = _candidates.Keys.Where(q => _queries.ContainsKey(q) && _qrels.TryGetValue(q, out var j) && j.Values.Any(r => r >= 1))
            .Order(StringComparer.Ordinal).ToArray();
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        var wasTraining = queryEncoder.Model.training;
        queryEncoder.Model.eval();
        try
        {
            foreach (var chunk in ids.Chunk(batchSize))
            {
                var vectors = queryEncoder.Sparse([.. chunk.Select(q => _queries[q])]);
                for (var i = 0; i < chunk.Length; i++)
                {
                    run[chunk[i]] = _candidates[chunk[i]].Keys.ToDictionary(
                        d => d, d => vectors[i].Dot(documents.Sparse(d)), StringComparer.Ordinal);
                }
            }
        }
        finally
        {
            if (wasTraining)
                queryEncoder.Model.train();
        }
        if (ids.Length == 0)
            return new ValidationResult(0, 0, 0);
        var result = Evaluator.Evaluate(_qrels, run, Measures);
        return new ValidationResult(result[MrrName], result[RecallName], ids.Length);
    }
}
