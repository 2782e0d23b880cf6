namespace Disco.Experiments;

/// <summary>One BEIR dataset's result: nDCG@10 and Recall@100 (trec_eval's ndcg_cut_10 and recall_100, as BEIR's pytrec_eval).</summary>
/// <param name="Dataset">The dataset's folder name.</param>
/// <param name="Documents">Passages indexed.</param>
/// <param name="Queries">Queries evaluated (those with judgments in the split and results).</param>
/// <param name="IndexDirectory">The cached index used.</param>
/// <param name="IndexReused">Whether the index came from the cache.</param>
public sealed record BeirDatasetResult(string Dataset, long Documents, int Queries, double NdcgAt10, double RecallAt100, string IndexDirectory, bool IndexReused);
