namespace Disco.Index;

/// <summary>
/// Static pruning applied while an index is built, as in naver/splade's static pruning study.
/// Each rule is off when null. Per document, weights under <paramref name="MinWeight"/> are dropped
/// first, then only the <paramref name="DocumentTerms"/> largest weights are kept (ties by term,
/// ordinal); per term, only the <paramref name="ListSize"/> largest postings are kept (ties by
/// the earlier document). Search over a pruned index is exact over the pruned vectors.
/// </summary>
public sealed record StaticPruning(int? DocumentTerms = null, int? ListSize = null, float? MinWeight = null)
{
    public bool IsEmpty => DocumentTerms is null && ListSize is null && MinWeight is null;

    internal void Validate()
    {
        if (DocumentTerms is < 1)
            throw new ArgumentOutOfRangeException(nameof(DocumentTerms), "keep at least one term per document");
        if (ListSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(ListSize), "keep at least one posting per term");
        if (MinWeight is float w && !(w >= 0 && float.IsFinite(w)))
            throw new ArgumentOutOfRangeException(nameof(MinWeight), "the minimum weight must be a finite number ≥ 0");
    }
}
