namespace Disco.Core.Reranking;

/// <summary>A query text (a conversation already flattened, or its rewrite) and a passage text.</summary>
public readonly record struct QueryPassagePair(string Query, string Passage);
