using Disco.Core.Conversations;
using Disco.Core.Vectors;

namespace Disco.Core.Queries;

/// <summary>
/// One query as a user gives it: a text, a conversation, or an already encoded vector (over
/// vocabulary strings, or over the query encoder's term ids). Exactly one of the members is set.
/// </summary>
public sealed class Query
{
    private Query(string id, QueryKind kind, string? text, Conversation? conversation, TermVector? terms, SparseVector? vector)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        Kind = kind;
        Text = text;
        Conversation = conversation;
        Terms = terms;
        Vector = vector;
    }

    public string Id { get; }

    public QueryKind Kind { get; }

    public string? Text { get; }

    public Conversation? Conversation { get; }

    public TermVector? Terms { get; }

    public SparseVector? Vector { get; }

    /// <summary>True when the query still needs an encoder (text or conversation).</summary>
    public bool NeedsEncoding => Kind is QueryKind.Text or QueryKind.Conversation;

    public static Query FromText(string id, string text) => new(id, QueryKind.Text, text ?? throw new ArgumentNullException(nameof(text)), null, null, null);

    public static Query FromConversation(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return new(conversation.Id, QueryKind.Conversation, null, conversation, null, null);
    }

    public static Query FromTerms(TermVector terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new(terms.Id, QueryKind.Terms, null, null, terms, null);
    }

    public static Query FromVector(string id, SparseVector vector) => new(id, QueryKind.Vector, null, null, null, vector ?? throw new ArgumentNullException(nameof(vector)));

    /// <summary>The text an encoder reads: the text itself, or the conversation flattened; null for vectors.</summary>
    public string? TextToEncode(FlatteningOptions? flattening = null) => Kind switch
    {
        QueryKind.Text => Text,
        QueryKind.Conversation => ConversationFlattener.Flatten(Conversation!, flattening),
        _ => null,
    };
}
