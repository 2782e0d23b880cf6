using System.Text;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Datasets.Tests;

/// <summary>
/// The converters fed what would mix two conversations under one query id (a topic or turn number
/// given twice), member names given twice, byte order marks and invalid UTF-8.
/// </summary>
public sealed class StrictTopicsTests
{
    private static readonly byte[] Invalid = [0xC3, 0x28];

    private static string Write(TempDirectory dir, string name, params object[] parts)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, [.. parts.SelectMany(p => p as byte[] ?? Encoding.UTF8.GetBytes((string)p))]);
        return path;
    }

    private static DataFormatException Refused(string path, string problem, Func<object> read)
    {
        var e = Assert.Throws<DataFormatException>(() => read());
        Assert.Equal(path, e.File);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void CastTurnNumberGivenTwiceInALinearTopicIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "topics.json", """
            [{"number": 31, "turn": [{"number": 1, "raw_utterance": "What is throat cancer?"},
                                     {"number": 1, "raw_utterance": "Is it treatable?"}]}]
            """);
        Refused(path, "query id '31_1' is given twice with different turns", () => CastConverter.Read(path));
    }

    [Fact]
    public void CastTopicNumberGivenTwiceIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "topics.json", """
            [{"number": 31, "turn": [{"number": 1, "raw_utterance": "What is throat cancer?"}]},
             {"number": 31, "turn": [{"number": 1, "raw_utterance": "Tell me about lung cancer."}]}]
            """);
        Refused(path, "topic 31: query id '31_1' is given twice", () => CastConverter.Read(path));
    }

    [Fact]
    public void CastTreeTurnNumberGivenTwiceIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "topics.json", """
            [{"number": "132", "turn": [
                {"number": "132-1", "participant": "User", "utterance": "a"},
                {"number": "132-2", "participant": "System", "parent": "132-1", "response": "b"},
                {"number": "132-2", "participant": "User", "parent": "132-1", "utterance": "c"}]}]
            """);
        Refused(path, "turn number 132-2 is given twice", () => CastConverter.Read(path));
    }

    [Fact]
    public void CastRewriteGivenTwiceForOneQueryIsRefusedAtItsLine()
    {
        using var dir = new TempDirectory();
        var topics = Write(dir, "topics.json", """[{"number": 31, "turn": [{"number": 1, "raw_utterance": "a"}]}]""");
        var rewrites = Write(dir, "rewrites.tsv", "31_1\tfirst\n31_2\tsecond\n31_1\tthird\n");
        var e = Refused(rewrites, "query id '31_1' appears again (first on line 1)", () => CastConverter.Read(topics, new CastOptions(RewritesPath: rewrites)));
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void IkatTurnIdGivenTwiceIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "ikat.json", """
            [{"number": "9-1", "turns": [{"turn_id": 1, "utterance": "a"}, {"turn_id": 2, "utterance": "b"}, {"turn_id": 1, "utterance": "c"}]}]
            """);
        Refused(path, "query id '9-1_1' is given twice", () => IkatConverter.Read(path));
    }

    [Fact]
    public void QreccTurnGivenTwiceIsRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "qrecc.json", """
            [{"Conversation_no": 7, "Turn_no": 1, "Question": "a", "Context": []},
             {"Conversation_no": 7, "Turn_no": 1, "Question": "b", "Context": []}]
            """);
        Refused(path, "query id '7_1' is given twice", () => QreccConverter.Read(path));
    }

    [Fact]
    public void TopicsWithAMemberNameTwiceAreRefused()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, "topics.json", """
            [{"number": 31, "turn": [{"number": 1, "raw_utterance": "a", "raw_utterance": "b"}]}]
            """);
        Refused(path, "invalid JSON", () => CastConverter.Read(path));
    }

    [Fact]
    public void TopicsReadThroughABomAndRefuseInvalidUtf8NamingTheLine()
    {
        using var dir = new TempDirectory();
        const string Head = "[{\"number\": 31, \"turn\": [\n{\"number\": 1, \"raw_utterance\": \"";
        var plain = CastConverter.Read(Write(dir, "plain.json", Head, "caf\u00e9\"}]}]"));
        var withBom = CastConverter.Read(Write(dir, "bom.json", new byte[] { 0xEF, 0xBB, 0xBF }, Head, "caf\u00e9\"}]}]"));
        Assert.Equal("café", plain.Turns.Single().Conversation.Turns.Single().Question);
        Assert.Equal(plain.Turns.Single().Conversation.Turns, withBom.Turns.Single().Conversation.Turns);

        var bad = Write(dir, "bad.json", Head, "caf", Invalid, "\"}]}]");
        var e = Refused(bad, "invalid UTF-8", () => CastConverter.Read(bad));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void LineFilesOfTheConvertersRefuseInvalidUtf8NamingTheLine()
    {
        using var dir = new TempDirectory();
        var duplicates = Write(dir, "duplicates.txt", "a b c\nd ", Invalid, "\n");
        Assert.Equal(2, Refused(duplicates, "invalid UTF-8", () => Cast2022RunMerger.ReadDuplicates(duplicates)).Line);

        var collection = Write(dir, "wiki.tsv", "id\ttext\ttitle\n1\tsome text\tTitle\n2\tbad ", Invalid, "\tTitle\n");
        Assert.Equal(3, Refused(collection, "invalid UTF-8", () => TopiOcqaConverter.ReadCollection(collection).ToList()).Line);
    }
}
