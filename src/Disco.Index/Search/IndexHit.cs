namespace Disco.Index;

/// <summary>A search result: internal document id and score.</summary>
public readonly record struct IndexHit(int Doc, float Score);
