namespace Disco.Core.Reranking;

/// <summary>
/// Scores (query, passage) pairs jointly (a cross-encoder reranker), the seam that keeps the
/// retrieval pipeline free of the model's implementation, as <see cref="Vectors.ISparseEncoder"/> does
/// for first-stage encoders.
/// </summary>
public interface ICrossEncoder : IDisposable
{
    /// <summary>One relevance score per pair, in input order; higher is more relevant.</summary>
    IReadOnlyList<float> Score(IReadOnlyList<QueryPassagePair> pairs, IProgress<long>? progress = null);
}
