namespace Disco.Core.Queries;

/// <summary>What a <see cref="Query"/> holds.</summary>
public enum QueryKind
{
    /// <summary>A text, encoded as it is (a keyword query, or a conversation flattened elsewhere).</summary>
    Text,

    /// <summary>A conversation, flattened before encoding.</summary>
    Conversation,

    /// <summary>Weights over vocabulary strings (a vectors JSONL record); not encoded again.</summary>
    Terms,

    /// <summary>Weights over the query encoder's term ids; not encoded again.</summary>
    Vector,
}
