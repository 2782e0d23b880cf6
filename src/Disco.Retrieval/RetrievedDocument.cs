namespace Disco.Retrieval;

/// <summary>
/// One hit: the index's internal document number, the collection's document id, the score, and
/// (when explained) the matched terms, largest contribution first.
/// </summary>
public sealed record RetrievedDocument(int Doc, string DocumentId, float Score, IReadOnlyList<MatchedTerm>? MatchedTerms = null);
