using Disco.Core;
using Disco.Core.IO;
using Disco.TestSupport;

namespace Disco.Interop.Tests;

/// <summary>
/// The two front ends of the one restricted unpickler (the tree reader for score files, the
/// streaming reader for <c>doc_ids.pkl</c>) fed the same crafted bytes: what one refuses for safety,
/// the other refuses the same way, at the same byte.
/// </summary>
public sealed class RestrictedUnpicklerFrontEndTests
{
    /// <summary>PROTO 4, EMPTY_LIST, MARK, BININT1 1: a list of ids under way when the hostile opcode comes, at byte 6.</summary>
    private const string ListUnderWay = "80045d284b01";

    private static List<string> ReadIds(string path)
    {
        var items = new List<string>();
        PickledIdList.Read(path, items.Add, p => items[(int)p]);
        return items;
    }

    private static IEnumerable<Func<string, object>> FrontEnds() => [RestrictedPickle.Read, ReadIds];

    [Theory]
    [InlineData("52", 6, "opcode 'R'")] // REDUCE: calls whatever is below it
    [InlineData("62", 6, "opcode 'b'")] // BUILD: __setstate__
    [InlineData("81", 6, "opcode 0x81")] // NEWOBJ
    [InlineData("92", 6, "opcode 0x92")] // NEWOBJ_EX
    [InlineData("50610a", 6, "opcode 'P'")] // PERSID
    [InlineData("690a", 6, "opcode 'i'")] // INST
    [InlineData("4e", 6, "opcode 'N'")] // None
    [InlineData("88", 6, "opcode 0x88")] // True
    [InlineData("74", 6, "opcode 't'")] // TUPLE
    [InlineData("430161", 6, "opcode 'C'")] // SHORT_BINBYTES
    [InlineData("4930310a", 6, "opcode I 01 (a boolean)")]
    [InlineData("636f730a73797374656d0a", 6, "opcode GLOBAL os.system")]
    [InlineData("8c05706f736978948c0673797374656d9493", 23, "opcode STACK_GLOBAL posix.system")]
    public void A_hostile_opcode_is_refused_by_both_front_ends_naming_it_and_its_byte(string evil, int offset, string named)
    {
        using var temp = new TempDirectory();
        var path = temp.File("evil.pkl");
        // After the hostile part: REDUCE, APPENDS, STOP, as a real exploit would continue.
        File.WriteAllBytes(path, Convert.FromHexString(ListUnderWay + evil + "52652e"));
        foreach (var read in FrontEnds())
        {
            var e = Assert.Throws<DataFormatException>(() => read(path));
            Assert.StartsWith($"{path}: byte {offset}: ", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Contains(named + " is not allowed", e.Message, StringComparison.Ordinal);
            Assert.Contains("(nothing was executed)", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("80045d8d0000000000010000", "more than")] // BINUNICODE8 of 2^40 bytes: refused before allocation
    [InlineData("80045d5800010000612e", "runs past the end of the file")] // BINUNICODE of 256 bytes in a 10-byte file
    [InlineData("80045d8a09010203040506070809612e", "larger than 64 bits")] // LONG1 of 9 bytes
    [InlineData("80045d8bffffffff612e", "negative length")] // LONG4 of -1 bytes
    [InlineData("80045d2e00", "byte 4: has data after the STOP opcode")]
    [InlineData("80045d9468002e", "refers back to a list or dict")] // the list inside itself
    [InlineData("80045d944b01949494612e", "memoized twice")]
    [InlineData("80065d2e", "protocol 6 is not supported")]
    public void Damaged_or_hostile_structure_is_refused_by_both_front_ends(string hex, string problem)
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.pkl");
        File.WriteAllBytes(path, Convert.FromHexString(hex));
        foreach (var read in FrontEnds())
        {
            var e = Assert.Throws<DataFormatException>(() => read(path));
            Assert.StartsWith($"{path}: byte ", e.Message, StringComparison.Ordinal);
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_protocol_0_LIST_of_items_after_its_mark_is_read_by_both_front_ends()
    {
        // (I7\nVab\nl. : MARK, INT 7, UNICODE "ab", LIST (the items since the mark), STOP.
        using var temp = new TempDirectory();
        var path = temp.File("p0.pkl");
        File.WriteAllBytes(path, "(I7\nVab\nl."u8.ToArray());
        Assert.Equal(["7", "ab"], ReadIds(path));
        Assert.Equal([7L, "ab"], (List<object>)RestrictedPickle.Read(path));
    }

    [Theory]
    [InlineData("80025d473fe0000000000000612e", "opcode 'G'")] // a float item
    [InlineData("80025d7d612e", "opcode '}'")] // a dict item
    public void Floats_and_dicts_are_read_into_trees_and_refused_as_ids(string hex, string named)
    {
        using var temp = new TempDirectory();
        var path = temp.File("mixed.pkl");
        File.WriteAllBytes(path, Convert.FromHexString(hex));
        var tree = Assert.Single((List<object>)RestrictedPickle.Read(path));
        Assert.True(tree is 0.5 or Dictionary<string, object> { Count: 0 });
        var e = Assert.Throws<DataFormatException>(() => ReadIds(path));
        Assert.Contains($"byte 3: {named} is not allowed: doc_ids.pkl must be a plain list", e.Message, StringComparison.Ordinal);
    }
}
