using Disco.Core;

namespace Disco.Interop.Tests;

public class PickledIdListTests
{
    private static List<string> Read(string path)
    {
        var items = new List<string>();
        PickledIdList.Read(path, items.Add, p => items[(int)p]);
        return items;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Every_pickle_protocol_of_a_list_of_ints_and_strings_reads_as_Python_wrote_it(int protocol)
    {
        var expected = File.ReadAllLines(InteropFixtures.Path("pickles", "mixed.txt"));
        Assert.Equal(expected, Read(InteropFixtures.Path("pickles", $"mixed-p{protocol}.pkl")));
    }

    [Fact]
    public void Framed_batched_appends_keep_list_order()
    {
        var items = Read(InteropFixtures.Path("pickles", "big-p4.pkl"));
        Assert.Equal(5000, items.Count);
        Assert.Equal([.. Enumerable.Range(0, 2500).Select(i => $"id{i}"), .. Enumerable.Range(0, 2500).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], items);
    }

    [Fact]
    public void A_repeated_string_object_is_read_through_the_memo_as_the_earlier_item()
    {
        Assert.Equal(["x", "dup-id", "y", "dup-id"], Read(InteropFixtures.Path("pickles", "repeated-p4.pkl")));
    }

    [Theory]
    [InlineData("evil-p0.pkl", "GLOBAL posix.system")]
    [InlineData("evil-p4.pkl", "STACK_GLOBAL posix.system")]
    [InlineData("numpy-ints.pkl", "numpy")]
    public void A_pickle_naming_any_global_is_refused_and_nothing_runs(string file, string named)
    {
        var cwd = Environment.CurrentDirectory;
        var e = Assert.Throws<DataFormatException>(() => Read(InteropFixtures.Path("pickles", file)));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was executed", e.Message, StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(File.Exists(Path.Combine(cwd, "EXPLOITED_MARKER")));
        Assert.False(File.Exists(InteropFixtures.Path("pickles", "EXPLOITED_MARKER")));
    }

    [Fact]
    public void A_nested_list_is_refused()
    {
        var e = Assert.Throws<DataFormatException>(() => Read(InteropFixtures.Path("pickles", "nested.pkl")));
        Assert.Contains("nested", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_pickle_is_refused_at_every_cut()
    {
        using var temp = new TestSupport.TempDirectory();
        var bytes = File.ReadAllBytes(InteropFixtures.Path("pickles", "mixed-p4.pkl"));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var path = temp.File($"cut{cut}.pkl");
            File.WriteAllBytes(path, bytes[..cut]);
            var e = Assert.Throws<DataFormatException>(() => Read(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
    }
}
