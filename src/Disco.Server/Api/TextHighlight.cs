namespace Disco.Server.Api;

/// <summary>A word of the passage text holding matched terms: start and length in UTF-16 code units (JavaScript string indexes).</summary>
public sealed record TextHighlight(int Start, int Length, IReadOnlyList<string> Terms);
