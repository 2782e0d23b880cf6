namespace Disco.Index;

/// <summary>How an index numbers its documents (docs/index-format.md, "Documents").</summary>
public enum DocumentOrder
{
    /// <summary>In input order, as SPLADE's row ids.</summary>
    Input,

    /// <summary>
    /// Similar documents next to each other (recursive bisection by term centroids), so that the
    /// maxima of small document blocks become tight and block-max pruning can skip most blocks.
    /// </summary>
    Clustered,
}
