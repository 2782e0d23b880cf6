using Disco.Core.Conversations;

namespace Disco.Core.Tests;

public sealed class ConversationFlattenerTests
{
    private static readonly Conversation Conversation = new("c", [
        new Turn("  q1 ", "a1"),
        new Turn("q2", "   "),
        new Turn("q3", " a3\n"),
        new Turn("q4"),
    ]);

    [Fact]
    public void Full_puts_the_newest_turn_first_and_leaves_out_blank_answers() =>
        Assert.Equal("q4 [SEP] a3 [SEP] q3 [SEP] q2 [SEP] a1 [SEP] q1", ConversationFlattener.Flatten(Conversation));

    [Fact]
    public void Last_question_keeps_only_the_current_question() =>
        Assert.Equal("q4", ConversationFlattener.Flatten(Conversation, new FlatteningOptions(FlatteningMode.LastQuestion)));

    [Fact]
    public void Questions_only_drops_every_answer() =>
        Assert.Equal("q4 [SEP] q3 [SEP] q2 [SEP] q1", ConversationFlattener.Flatten(Conversation, new FlatteningOptions(FlatteningMode.QuestionsOnly)));

    [Fact]
    public void Max_previous_turns_keeps_the_newest_turns()
    {
        Assert.Equal("q4 [SEP] a3 [SEP] q3", ConversationFlattener.Flatten(Conversation, new FlatteningOptions(MaxPreviousTurns: 1)));
        Assert.Equal("q4 [SEP] q3 [SEP] q2", ConversationFlattener.Flatten(Conversation, new FlatteningOptions(FlatteningMode.QuestionsOnly, 2)));
        Assert.Equal("q4", ConversationFlattener.Flatten(Conversation, new FlatteningOptions(MaxPreviousTurns: 0)));
        Assert.Equal(ConversationFlattener.Flatten(Conversation), ConversationFlattener.Flatten(Conversation, new FlatteningOptions(MaxPreviousTurns: 10)));
    }

    [Fact]
    public void Single_turn_is_its_question() =>
        Assert.Equal("what is x?", ConversationFlattener.Flatten(new Conversation("c", [new Turn(" what is x? ")])));

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ConversationFlattener.Flatten(new Conversation("empty", [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConversationFlattener.Flatten(Conversation, new FlatteningOptions(MaxPreviousTurns: -1)));
    }
}
