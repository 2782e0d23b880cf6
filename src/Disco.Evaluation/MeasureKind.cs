namespace Disco.Evaluation;

/// <summary>
/// The supported measures, declared in the order trec_eval prints them (its measure table order);
/// <see cref="Mrr"/> and <see cref="Judged"/> are not trec_eval measures and come last.
/// </summary>
public enum MeasureKind
{
    /// <summary>Number of queries evaluated (trec_eval <c>num_q</c>).</summary>
    NumQ,

    /// <summary>Documents retrieved; summed over queries (<c>num_ret</c>).</summary>
    NumRet,

    /// <summary>Relevant documents judged; summed (<c>num_rel</c>).</summary>
    NumRel,

    /// <summary>Relevant documents retrieved; summed (<c>num_rel_ret</c>).</summary>
    NumRelRet,

    /// <summary>Mean average precision (<c>map</c>).</summary>
    Map,

    /// <summary>Precision after R documents, R = number of relevant (<c>Rprec</c>).</summary>
    Rprec,

    /// <summary>Reciprocal rank of the first relevant document, whole ranking (<c>recip_rank</c>).</summary>
    RecipRank,

    /// <summary>Precision at cutoffs (<c>P.k</c>).</summary>
    P,

    /// <summary>Recall at cutoffs (<c>recall.k</c>).</summary>
    Recall,

    /// <summary>nDCG over the whole ranking, gain = grade (<c>ndcg</c>).</summary>
    Ndcg,

    /// <summary>nDCG at cutoffs (<c>ndcg_cut.k</c>).</summary>
    NdcgCut,

    /// <summary>1 when a relevant document is in the top k (<c>success.k</c>).</summary>
    Success,

    /// <summary>Reciprocal rank within the top k, as SPLADE's <c>mrr_10</c>: recip_rank of the run cut at k.</summary>
    Mrr,

    /// <summary>Fraction of the top k that is judged (any grade ≥ 0), divided by k like P.k.</summary>
    Judged,
}
