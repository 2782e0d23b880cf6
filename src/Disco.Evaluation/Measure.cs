namespace Disco.Evaluation;

/// <summary>One requested measure and, for cutoff measures, its sorted distinct cutoffs.</summary>
public sealed record Measure(MeasureKind Kind, IReadOnlyList<int> Cutoffs)
{
    /// <summary>The trec_eval name of the measure (<c>P</c>, <c>ndcg_cut</c>, ...).</summary>
    public string Name => MeasureSet.NameOf(Kind);

    /// <summary>True when the measure takes cutoffs (P, recall, ndcg_cut, success, mrr, judged).</summary>
    public bool HasCutoffs => MeasureSet.TakesCutoffs(Kind);

    /// <summary>True for num_q, num_ret, num_rel and num_rel_ret, printed as integers.</summary>
    public bool IsCount => Kind is MeasureKind.NumQ or MeasureKind.NumRet or MeasureKind.NumRel or MeasureKind.NumRelRet;

    /// <summary>Printed value names: <c>map</c>, or <c>P_5</c>, <c>P_10</c> ... for cutoff measures.</summary>
    public IEnumerable<string> ValueNames => HasCutoffs ? Cutoffs.Select(k => $"{Name}_{k}") : [Name];
}
