using Disco.Core.Vectors;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// Validation by re-ranking: each dev query's candidates (a first-stage run) are scored with the
/// student query encoder against the cached document representations, then MRR@10 and R@100 are
/// computed against the dev qrels (relevance ≥ 1). Re-ranking a fixed candidate set keeps
/// validation affordable on collections of millions of passages, unlike the reference's full index.
/// </summary>
public sealed class CandidateValidation
{
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
        double mrr = 0, recall = 0;
        var wasTraining = queryEncoder.Model.training;
        queryEncoder.Model.eval();
        try
        {
            foreach (var chunk in ids.Chunk(batchSize))
            {
                var vectors = EncodeQueries(queryEncoder, chunk);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var relevant = _qrels[chunk[i]].Where(p => p.Value >= 1).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
                    var ranking = _candidates[chunk[i]].Keys
                        .Select(d => (Doc: d, Score: vectors[i].Dot(ToVector(documents.Sparse(d)))))
                        .OrderByDescending(x => x.Score).ThenBy(x => x.Doc, StringComparer.Ordinal)
                        .Select(x => x.Doc).ToArray();
                    var first = Array.FindIndex(ranking, 0, Math.Min(10, ranking.Length), relevant.Contains);
                    mrr += first >= 0 ? 1.0 / (first + 1) : 0;
                    recall += (double)ranking.Take(100).Count(relevant.Contains) / relevant.Count;
                }
            }
        }
        finally
        {
            if (wasTraining)
                queryEncoder.Model.train();
        }
        return ids.Length == 0 ? new ValidationResult(0, 0, 0) : new ValidationResult(mrr / ids.Length, recall / ids.Length, ids.Length);
    }

    private SparseVector[] EncodeQueries(RepresentationEncoder encoder, string[] ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var dense = encoder.Represent(ids.Select(q => _queries[q]).ToArray()).cpu();
        var vocab = (int)dense.shape[1];
        var values = dense.data<float>().ToArray();
        return Enumerable.Range(0, ids.Length)
            .Select(r => SparseVector.FromPairs(Enumerable.Range(0, vocab).Where(j => values[(r * vocab) + j] != 0)
                .Select(j => new KeyValuePair<int, float>(j, values[(r * vocab) + j]))))
            .ToArray();
    }

    private static SparseVector ToVector((int[] Indices, float[] Values) sparse) => new(sparse.Indices, sparse.Values);
}
