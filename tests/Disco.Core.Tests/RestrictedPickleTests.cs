using System.IO.Compression;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Core.Tests;

public sealed class RestrictedPickleTests
{
    /// <summary>pickle.dumps({1: {7: 0.5, 'd2': 2, 'd3': -1.25e-3}, 'q2': {7: 3}}, protocol=p) by CPython 3.11.</summary>
    [Theory]
    [InlineData("286470300a49310a286470310a49370a46302e350a735664320a70320a49320a735664330a70330a462d302e30303132350a73735671320a70340a286470350a49370a49330a73732e")]
    [InlineData("80027d7100284b017d7101284b07473fe00000000000005802000000643271024b0258020000006433710347bf547ae147ae147b755802000000713271047d71054b074b0373752e")]
    [InlineData("80049537000000000000007d94284b017d94284b07473fe00000000000008c026432944b028c0264339447bf547ae147ae147b758c027132947d944b074b0373752e")]
    public void ScoresOfEveryProtocolReadAsPythonWroteThem(string hex)
    {
        using var dir = new TempDirectory();
        var plain = dir.File("scores.pkl");
        File.WriteAllBytes(plain, Convert.FromHexString(hex));
        var gzipped = dir.File("scores.pkl.gz");
        using (var gz = new GZipStream(File.Create(gzipped), CompressionLevel.Fastest))
            gz.Write(Convert.FromHexString(hex));

        foreach (var path in new[] { plain, gzipped })
        {
            var run = Run.Read(path);
            Assert.Equal(["1", "q2"], run.Keys);
            Assert.Equal(["7", "d2", "d3"], run["1"].Keys);
            Assert.Equal(0.5, run["1"]["7"]);
            Assert.Equal(2.0, run["1"]["d2"]);
            Assert.Equal(-1.25e-3, run["1"]["d3"]);
            Assert.Equal(3.0, run["q2"]["7"]);
        }
    }

    [Fact]
    public void SpladeToyScoresEqualTheirJsonCopy()
    {
        var scores = Fixtures.Data("splade-toy", "scores");
        var pickled = Run.Read(Path.Combine(scores, "toy.pkl.gz"));
        var json = Run.Read(Path.Combine(scores, "toy.json"));

        Assert.Equal(json.Keys, pickled.Keys);
        foreach (var qid in json.Keys)
            Assert.Equal(json[qid].ToList(), pickled[qid].ToList());
    }

    [Fact]
    public void CodeInThePickleIsRefusedNotRun()
    {
        // pickle.dumps({'q': E()}, protocol=2) where E.__reduce__ returns (os.system, ('echo pwned',)).
        using var dir = new TempDirectory();
        var path = dir.File("evil.pkl");
        File.WriteAllBytes(path, Convert.FromHexString("80027d7100580100000071710163706f7369780a73797374656d0a7102580a0000006563686f2070776e65647103857104527105732e"));

        var e = Assert.Throws<DataFormatException>(() => Run.Read(path));

        Assert.Contains("GLOBAL posix.system", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was executed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedStringLengthIsRefusedBeforeAllocation()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.pkl");
        // PROTO 4, BINUNICODE8 with a 2^40-byte length and no data.
        File.WriteAllBytes(path, [0x80, 4, 0x8d, 0, 0, 0, 0, 0, 1, 0, 0]);

        var e = Assert.Throws<DataFormatException>(() => RestrictedPickle.Read(path));

        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
    }
}
