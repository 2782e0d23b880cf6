namespace Disco.Core.Runs;

/// <summary>A retrieved document with its score.</summary>
public readonly record struct ScoredDocument(string DocId, float Score);
