namespace Disco.Core.Conversations;

/// <summary>One exchange of a conversation; the answer may be missing (the current turn, or unknown).</summary>
public sealed record Turn(string Question, string? Answer = null);
