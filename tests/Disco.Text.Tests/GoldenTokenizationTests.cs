using Disco.Core.Conversations;

namespace Disco.Text.Tests;

public sealed class GoldenTokenizationTests
{
    public static TheoryData<int> TokenizationCases => [.. Enumerable.Range(0, GoldenCases.Lines("golden_tokenization.jsonl").Count)];

    public static TheoryData<string> DocumentIds => [.. GoldenCases.Lines("golden_documents.jsonl").Select(l => l.GetProperty("id").GetString()!)];

    public static TheoryData<string> ConversationIds => [.. GoldenCases.Lines("golden_conversations.jsonl").Select(l => l.GetProperty("id").GetString()!)];

    [Theory]
    [MemberData(nameof(TokenizationCases))]
    public void Golden_tokenization_case_matches_reference_ids(int lineIndex)
    {
        var line = GoldenCases.Lines("golden_tokenization.jsonl")[lineIndex];
        string text = line.GetProperty("text").GetString()!;
        int maxLength = line.GetProperty("max_length").GetInt32();

        var ids = GoldenCases.Tokenizer.Encode(text, maxLength);

        Assert.Equal(GoldenCases.Ids(line), ids);
    }

    [Theory]
    [MemberData(nameof(DocumentIds))]
    public void Golden_document_ids_match_reference(string id)
    {
        var line = GoldenCases.Lines("golden_documents.jsonl").Single(l => l.GetProperty("id").GetString() == id);

        var ids = GoldenCases.Tokenizer.Encode(line.GetProperty("text").GetString()!, 256);

        Assert.Equal(GoldenCases.Ids(line), ids);
    }

    [Theory]
    [MemberData(nameof(ConversationIds))]
    public void Golden_conversation_flattening_and_ids_match_reference(string id)
    {
        var line = GoldenCases.Lines("golden_conversations.jsonl").Single(l => l.GetProperty("id").GetString() == id);

        string flattened = ConversationFlattener.Flatten(GoldenCases.ToConversation(line));
        var ids = GoldenCases.Tokenizer.Encode(flattened, 256);

        Assert.Equal(line.GetProperty("flattened").GetString(), flattened);
        Assert.Equal(GoldenCases.Ids(line), ids);
    }
}
