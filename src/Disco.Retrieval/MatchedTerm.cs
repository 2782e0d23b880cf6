namespace Disco.Retrieval;

/// <summary>
/// A query term found in a retrieved document: the query weight, the document's impact as the
/// index stores it, and their product, the term's share of the score.
/// </summary>
public sealed record MatchedTerm(string Token, float QueryWeight, float DocumentWeight, double Contribution);
