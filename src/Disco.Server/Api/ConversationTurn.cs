namespace Disco.Server.Api;

/// <summary>One turn of a conversation in a request; the last turn is the current question and has no answer.</summary>
public sealed record ConversationTurn(string Question, string? Answer = null);
