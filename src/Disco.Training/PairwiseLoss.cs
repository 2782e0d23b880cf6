namespace Disco.Training;

/// <summary>The loss of the SPLADE recipe (spec §3).</summary>
public enum PairwiseLoss
{
    /// <summary>InBatchPairwiseNLL: positives of the whole batch plus the own negative.</summary>
    InBatchNll,

    /// <summary>DistilMarginMSE: needs teacher scores.</summary>
    MarginMse,

    /// <summary>DistilKL over the (positive, negative) pair: needs teacher scores.</summary>
    Kl,
}
