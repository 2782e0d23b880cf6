using System.Text;
using Disco.Core;
using Disco.TestSupport;

namespace Disco.Training.Tests;

public sealed class TripletFileTests
{
    [Fact]
    public void ABomIsDroppedAndTeacherScoresAreRead()
    {
        using var dir = new TempDirectory();
        var path = dir.File("triplets.tsv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("q\tpos\tneg\t2.5\t-1\n")]);
        var triplet = Assert.Single(TripletFile.Read(path));
        Assert.Equal(new TrainingTriplet("q", "pos", "neg", 2.5f, -1f), triplet);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 }, "invalid UTF-8")]
    [InlineData(new byte[] { (byte)'x', (byte)'\t', (byte)'1' }, "expected 3 fields")]
    [InlineData(new byte[] { (byte)'\t', (byte)'N', (byte)'a', (byte)'N', (byte)'\t', (byte)'1' }, "teacher score 'NaN' is not a finite number")]
    public void BadLineIsNamedWithFileAndLine(byte[] middle, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("triplets.tsv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("q\tpos\tneg\nq2\tp\tn"), .. middle, (byte)'\n']);
        var e = Assert.Throws<DataFormatException>(() => TripletFile.Read(path));
        Assert.StartsWith($"{path}:2: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
