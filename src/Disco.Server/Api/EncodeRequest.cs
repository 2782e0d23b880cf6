namespace Disco.Server.Api;

/// <summary><c>POST /v1/encode</c>: a text or a conversation (queries only), encoded as a document or a query.</summary>
/// <param name="Kind">document or query (default query).</param>
/// <param name="Flatten">full, last_question or questions_only (aliases last, questions), for a conversation.</param>
public sealed record EncodeRequest(string? Text = null, IReadOnlyList<ConversationTurn>? Conversation = null, string Kind = EncodeRequest.Query, string? Flatten = null)
{
    public const string Query = "query";

    public const string Document = "document";
}
