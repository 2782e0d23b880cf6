namespace Disco.Retrieval;

/// <summary>
/// A word of a text holding matched terms: its start and length in UTF-16 code units (JavaScript
/// string indexes) and the wordpieces of it that matched.
/// </summary>
public sealed record TextSpanMatch(int Start, int Length, IReadOnlyList<string> Terms);
