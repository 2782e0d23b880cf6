using Disco.Core.Conversations;

namespace Disco.Datasets;

/// <summary>
/// One turn of a converted dataset: the conversation up to this turn, whose id is the query id the
/// official qrels use (TopiOCQA: DiSCo's row number), and <see cref="SourceId"/>, the dataset's own
/// name for the turn (TopiOCQA <c>conv_turn</c>, CAsT <c>topic_turn</c>, iKAT <c>topic-subtree_turn</c>).
/// </summary>
public sealed record DatasetTurn(string SourceId, Conversation Conversation)
{
    public string Id => Conversation.Id;
}
