using Disco.Cli.Commands;
using Disco.Core.Conversations;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

public sealed class ConvertCommandTests
{
    internal static int Run(params string[] args) => CommandRunner.Run(ConvertCommand.Create(), args);

    [Fact]
    public void Cast2022WritesCanonicalFilesWithQrelsAndResolvedConfig()
    {
        using var dir = new TempDirectory();
        var code = Run("convert", "cast", "--topics", Fixtures.Data("cast2022", "2022_evaluation_topics_tree_v1.0.json"), "--qrels", Fixtures.Data("cast2022", "qrels.txt"), "--out", dir.Path);
        Assert.Equal(0, code);
        var conversations = ConversationFile.Read(dir.File("conversations.jsonl")).ToList();
        Assert.Equal(205, conversations.Count);
        var queries = File.ReadAllLines(dir.File("queries.tsv"));
        Assert.Equal(conversations.Select(c => c.Id), queries.Select(q => q.Split('\t')[0]));
        // queries.tsv is DiSCo's flattening: newest question first, then the previous answer and question.
        var branch = conversations.Single(c => c.Id == "132_1-3");
        Assert.Equal($"132_1-3\t{branch.Turns[1].Question} [SEP] {branch.Turns[0].Answer} [SEP] {branch.Turns[0].Question}", queries.Single(q => q.StartsWith("132_1-3\t", StringComparison.Ordinal)));
        Assert.Equal(File.ReadLines(Fixtures.Data("cast2022", "qrels.txt")).Count(), File.ReadLines(dir.File("qrels.trec")).Count());
        Assert.True(File.Exists(dir.File("qrels.json")));
        Assert.Contains("dataset: cast", File.ReadAllText(dir.File("disco-config.yaml")), StringComparison.Ordinal);
        var ids = File.ReadAllLines(dir.File("ids.tsv"));
        Assert.Equal("row\tid\tsource_id", ids[0]);
        Assert.Equal("0\t132_1-1\t132_1-1", ids[1]);
    }

    [Fact]
    public void MissingTopicsIsAUsageError()
    {
        using var dir = new TempDirectory();
        Assert.Equal(2, Run("convert", "ikat", "--out", dir.Path));
        Assert.Equal(1, Run("convert", "ikat", "--topics", dir.File("none.json"), "--out", dir.Path));
    }
}
