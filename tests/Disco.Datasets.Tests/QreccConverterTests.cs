using Disco.Core;
using Disco.Core.Conversations;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

public sealed class QreccConverterTests
{
    [Fact]
    public void ContextBecomesHistoryAndRewriteIsKept()
    {
        var dataset = QreccConverter.Read(Sample.Path("qrecc_test_sample.json"));
        Assert.Equal(["7_1", "7_2", "7_3"], dataset.Turns.Select(t => t.Id));
        var last = dataset.Turns[2].Conversation;
        Assert.Equal(
            [
                new Turn("What instruments does a string quartet use?", "Two violins, a viola and a cello."),
                new Turn("Which of them plays the lowest notes?", "The cello."),
                new Turn("Who wrote the most famous pieces for it?"),
            ],
            last.Turns);
        Assert.Equal("Who wrote the most famous pieces for string quartet?", last.Rewrite);
        Assert.Empty(dataset.Qrels);
    }

    [Fact]
    public void OddContextIsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, """[{"Context": ["only a question"], "Question": "q", "Conversation_no": 3, "Turn_no": 2}]""");
        var e = Assert.Throws<DataFormatException>(() => QreccConverter.Read(path));
        Assert.Contains("conversation 3 turn 2", e.Message, StringComparison.Ordinal);
    }
}
