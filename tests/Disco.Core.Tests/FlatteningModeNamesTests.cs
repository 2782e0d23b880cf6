using Disco.Core.Conversations;

namespace Disco.Core.Tests;

public sealed class FlatteningModeNamesTests
{
    [Fact]
    public void Every_mode_has_one_canonical_name_that_parses_back_and_the_aliases_reach_the_same_modes()
    {
        Assert.Equal(["full", "last_question", "questions_only"], FlatteningModeNames.Names);
        foreach (var mode in Enum.GetValues<FlatteningMode>())
            Assert.Equal(mode, FlatteningModeNames.Parse(FlatteningModeNames.Name(mode)));
        Assert.Equal(FlatteningMode.LastQuestion, FlatteningModeNames.Parse("last"));
        Assert.Equal(FlatteningMode.QuestionsOnly, FlatteningModeNames.Parse("questions"));
        Assert.Equal(FlatteningMode.LastQuestion, FlatteningModeNames.Parse("LASTQUESTION"));
        Assert.Equal(FlatteningMode.QuestionsOnly, FlatteningModeNames.Parse("questions-only"));
        Assert.Null(FlatteningModeNames.Parse("sideways"));
        Assert.Null(FlatteningModeNames.Parse(""));
        Assert.Null(FlatteningModeNames.Parse(null));
    }
}
