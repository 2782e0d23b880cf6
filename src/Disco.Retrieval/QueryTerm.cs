namespace Disco.Retrieval;

/// <summary>One term of an encoded query: its vocabulary string and weight.</summary>
public sealed record QueryTerm(string Token, float Weight);
