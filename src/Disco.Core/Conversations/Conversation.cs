namespace Disco.Core.Conversations;

/// <summary>
/// A conversation up to and including the current turn (the last one). <see cref="Rewrite"/> is a
/// self-contained rewrite of the last question when the dataset has one (human or LLM);
/// <see cref="Context"/> holds extra statements given with the topic (iKAT's PTKB).
/// </summary>
public sealed record Conversation(string Id, IReadOnlyList<Turn> Turns, string? Rewrite = null, IReadOnlyList<string>? Context = null);
