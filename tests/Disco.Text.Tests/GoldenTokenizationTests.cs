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

    [Fact]
    public void A_batch_of_texts_encodes_as_each_text_and_bad_ids_are_refused()
    {
        var cases = GoldenCases.Lines("golden_tokenization.jsonl");
        // The encoders' batch path (SpladeEncoder, OnnxSpladeEncoder, IdfQueryEncoder) at one max length per batch.
        foreach (var group in cases.GroupBy(l => l.GetProperty("max_length").GetInt32()))
        {
            var batch = GoldenCases.Tokenizer.EncodeRows([.. group.Select(l => l.GetProperty("text").GetString()!)], group.Key);
            Assert.Equal(group.Select(GoldenCases.Ids), batch);
        }
        Assert.Contains("text 1 is null", Assert.Throws<ArgumentException>(() => GoldenCases.Tokenizer.EncodeRows(["a", null!], 8)).Message, StringComparison.Ordinal);

        WordPieceTokenizer.CheckTokenIds([[101, 102], [101, 7, 102]], 103);
        Assert.Contains("sequence 1 is empty", Assert.Throws<ArgumentException>(() => WordPieceTokenizer.CheckTokenIds([[101, 102], []], 103)).Message, StringComparison.Ordinal);
        Assert.Contains("sequence 0 has token id 103", Assert.Throws<ArgumentException>(() => WordPieceTokenizer.CheckTokenIds([[101, 103]], 103)).Message, StringComparison.Ordinal);
        Assert.Contains("token id -1", Assert.Throws<ArgumentException>(() => WordPieceTokenizer.CheckTokenIds([[-1]], 103)).Message, StringComparison.Ordinal);
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
