namespace Disco.Training;

/// <summary>A validation query and the candidate documents to re-rank for it.</summary>
public sealed record ValidationQuery(string Id, string Text, IReadOnlyList<string> DocumentIds);
