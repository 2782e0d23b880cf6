using Disco.Core.Vectors;

namespace Disco.Training;

/// <summary>Validation scoring of the sparse (SPLADE-style) recipes: query vector · document vector.</summary>
public static class SparseCandidateScoring
{
    /// <summary>
    /// Encodes the queries with <paramref name="queryEncoder"/> in evaluation mode and scores each
    /// candidate by the dot product with its vector from <paramref name="documents"/>, which is
    /// also called while the query encoder's model is in evaluation mode (a shared encoder encodes
    /// documents without dropout too).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Score(
        RepresentationEncoder queryEncoder,
        Func<IReadOnlyList<string>, IReadOnlyList<SparseVector>> documents,
        IReadOnlyList<ValidationQuery> queries,
        int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(queryEncoder);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(queries);
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        var wasTraining = queryEncoder.Model.training;
        queryEncoder.Model.eval();
        try
        {
            foreach (var chunk in queries.Chunk(batchSize))
            {
                var vectors = queryEncoder.Sparse([.. chunk.Select(q => q.Text)]);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var candidates = chunk[i].DocumentIds;
                    var documentVectors = documents(candidates);
                    var scores = new Dictionary<string, double>(candidates.Count, StringComparer.Ordinal);
                    for (var d = 0; d < candidates.Count; d++)
                        scores[candidates[d]] = vectors[i].Dot(documentVectors[d]);
                    run[chunk[i].Id] = scores;
                }
            }
        }
        finally
        {
            queryEncoder.Model.train(wasTraining);
        }
        return run;
    }
}
