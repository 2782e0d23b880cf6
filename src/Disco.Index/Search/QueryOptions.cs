namespace Disco.Index;

/// <summary>
/// Query pruning applied before search: drop weights under <paramref name="MinWeight"/>, then keep
/// the <paramref name="MaxTerms"/> largest weights (ties by term string, ordinal). Null/0 keep all.
/// </summary>
public sealed record QueryOptions(int? MaxTerms = null, float MinWeight = 0f);
