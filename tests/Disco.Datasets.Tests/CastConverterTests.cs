using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

public sealed class CastConverterTests
{
    private static HashSet<string> QrelQueries(string path) => [.. Qrels.Read(path).Keys];

    [Fact]
    public void Cast2019TurnsCoverTheOfficialQrelsAndTakeRewritesFromTheResolvedFile()
    {
        var dataset = CastConverter.Read(
            Fixtures.Data("cast2019", "evaluation_topics_v1.0.json"),
            new CastOptions(RewritesPath: Fixtures.Data("cast2019", "evaluation_topics_annotated_resolved_v1.0.tsv")));
        Assert.Equal(479, dataset.Turns.Count);
        var ids = dataset.Turns.Select(t => t.Id).ToHashSet();
        Assert.Subset(ids, QrelQueries(Fixtures.Data("cast2019", "qrels.txt")));
        var third = dataset.Turns.Single(t => t.Id == "31_3").Conversation;
        Assert.Equal(["What is throat cancer?", "Is it treatable?", "Tell me about lung cancer."], third.Turns.Select(t => t.Question));
        Assert.All(third.Turns, t => Assert.Null(t.Answer));
        Assert.Equal("Is throat cancer treatable?", dataset.Turns.Single(t => t.Id == "31_2").Conversation.Rewrite);
    }

    [Fact]
    public void Cast2020RewritesFollowTheChosenKindAndCanonicalPassagesBecomeAnswers()
    {
        var topics = Fixtures.Data("cast2020", "2020_manual_evaluation_topics_v1.0.json");
        var passages = new Dictionary<string, string> { ["MARCO_5498474"] = "Signs include noise, slow response and a reversing door." };
        var manual = CastConverter.Read(topics, new CastOptions(Passages: passages));
        Assert.Equal(216, manual.Turns.Count);
        Assert.Subset(manual.Turns.Select(t => t.Id).ToHashSet(), QrelQueries(Fixtures.Data("cast2020", "qrels.txt")));
        var second = manual.Turns.Single(t => t.Id == "81_2").Conversation;
        Assert.Equal(
            [new Turn("How do you know when your garage door opener is going bad?", "Signs include noise, slow response and a reversing door."), new Turn("Now it stopped working. Why?")],
            second.Turns);
        Assert.Equal("Now my garage door opener stopped working. Why?", second.Rewrite);
        var automatic = CastConverter.Read(topics, new CastOptions(CastRewrite.Automatic));
        Assert.Equal("Why did garage door opener stop working?", automatic.Turns.Single(t => t.Id == "81_2").Conversation.Rewrite);
        Assert.Null(automatic.Turns.Single(t => t.Id == "81_2").Conversation.Turns[0].Answer);
    }

    [Fact]
    public void Cast2020CanonicalIdsAreListed()
    {
        var ids = CastConverter.CanonicalResultIds(Fixtures.Data("cast2020", "2020_manual_evaluation_topics_v1.0.json"));
        Assert.Contains("MARCO_5498474", ids);
        Assert.Contains("MARCO_7713538", ids);
    }

    [Fact]
    public void Cast2022TreeFollowsParentLinksWithResponsesAsAnswers()
    {
        var dataset = CastConverter.Read(Fixtures.Data("cast2022", "2022_evaluation_topics_tree_v1.0.json"));
        Assert.Equal(205, dataset.Turns.Count);
        Assert.Subset(dataset.Turns.Select(t => t.Id).ToHashSet(), QrelQueries(Fixtures.Data("cast2022", "qrels.txt")));
        // 2-1's parent is the system turn 1-4: the branch leaves the main line after 1-3.
        var branch = dataset.Turns.Single(t => t.Id == "132_2-1").Conversation;
        using var raw = JsonDocument.Parse(File.ReadAllText(Fixtures.Data("cast2022", "2022_evaluation_topics_tree_v1.0.json")));
        var topic = raw.RootElement[0].GetProperty("turn");
        string Field(int i, string name) => topic[i].GetProperty(name).GetString()!;
        Assert.Equal(
            [new Turn(Field(0, "utterance"), Field(1, "response")), new Turn(Field(2, "utterance"), Field(3, "response")), new Turn(Field(8, "utterance"))],
            branch.Turns);
        Assert.Equal(Field(8, "manual_rewritten_utterance"), branch.Rewrite);
    }

    [Fact]
    public void Cast2022TreeAgreesWithTheOrganisersFlattenedBranches()
    {
        var tree = CastConverter.Read(Fixtures.Data("cast2022", "2022_evaluation_topics_tree_v1.0.json")).Turns.ToDictionary(t => t.Id);
        var flattened = CastConverter.Read(Fixtures.Data("cast2022", "2022_evaluation_topics_flattened_duplicated_v1.0.json")).Turns;
        Assert.NotEmpty(flattened);
        foreach (var turn in flattened)
        {
            var fromTree = tree[turn.Id].Conversation;
            Assert.Equal(fromTree.Turns.Select(t => t.Question), turn.Conversation.Turns.Select(t => t.Question));
            Assert.Equal(fromTree.Turns.SkipLast(1).Select(t => t.Answer), turn.Conversation.Turns.SkipLast(1).Select(t => t.Answer));
            Assert.Equal(fromTree.Rewrite, turn.Conversation.Rewrite);
        }
    }
}
