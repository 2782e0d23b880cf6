namespace Disco.Server.Api;

/// <summary>
/// <c>POST /v1/search</c>: exactly one of <see cref="Conversation"/>, <see cref="Text"/> or
/// <see cref="Vector"/>, and options (docs/server.md).
/// </summary>
/// <param name="Conversation">Turns, oldest first; the last one is the current question.</param>
/// <param name="Text">A keyword query, or a conversation already flattened.</param>
/// <param name="Vector">Term weights over the query encoder's vocabulary (token → weight).</param>
/// <param name="K">Passages to return (default 10).</param>
/// <param name="Flatten">How a conversation becomes query text: full, last_question or questions_only (aliases last, questions; default: the server's).</param>
/// <param name="Explain">Also return each hit's matched terms and where they occur in its text.</param>
public sealed record SearchRequest(
    IReadOnlyList<ConversationTurn>? Conversation = null,
    string? Text = null,
    IReadOnlyDictionary<string, float>? Vector = null,
    int K = SearchRequest.DefaultK,
    string? Flatten = null,
    bool Explain = false)
{
    public const int DefaultK = 10;
}
