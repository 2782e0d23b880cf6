namespace Disco.Core.Conversations;

/// <summary>
/// How <see cref="ConversationFlattener"/> builds the query text. <paramref name="MaxPreviousTurns"/>
/// keeps only the newest N turns before the current one (null: all of them).
/// </summary>
public sealed record FlatteningOptions(FlatteningMode Mode = FlatteningMode.Full, int? MaxPreviousTurns = null);
