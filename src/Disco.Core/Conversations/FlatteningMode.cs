namespace Disco.Core.Conversations;

/// <summary>Which parts of a conversation's history go into the flattened query text.</summary>
public enum FlatteningMode
{
    /// <summary>DiSCo's input: <c>q_n [SEP] a_{n-1} [SEP] q_{n-1} ... [SEP] a_1 [SEP] q_1</c>.</summary>
    Full,

    /// <summary>The current question only (the "last utterance" baseline).</summary>
    LastQuestion,

    /// <summary>Questions without answers: <c>q_n [SEP] q_{n-1} ... [SEP] q_1</c>.</summary>
    QuestionsOnly,
}
