namespace Disco.Evaluation.Tests;

public sealed class TrecEvalFormatTests
{
    // Expected strings are C printf("%6.4f") output (glibc, via Python's % operator): exact binary value,
    // ties to even.
    [Theory]
    [InlineData(0.03125, "0.0312")]
    [InlineData(0.09375, "0.0938")]
    [InlineData(0.15625, "0.1562")]
    [InlineData(0.28125, "0.2812")]
    [InlineData(0.00015, "0.0001")]
    [InlineData(0.00005, "0.0001")]
    [InlineData(0.12345, "0.1235")]
    [InlineData(0.8765450000000001, "0.8765")]
    [InlineData(0.99995, "1.0000")]
    [InlineData(1.0 / 3, "0.3333")]
    [InlineData(0.0, "0.0000")]
    public void ValuesPrintLikeCPrintf(double value, string expected) =>
        Assert.Equal(expected, TrecEvalFormat.FormatValue(value, isCount: false));

    [Fact]
    public void CountsPrintAsIntegers() => Assert.Equal("1234", TrecEvalFormat.FormatValue(1234, isCount: true));

    [Fact]
    public void LinesAreNamePaddedTo22ThenTabs()
    {
        var qrels = new Dictionary<string, IReadOnlyDictionary<string, int>> { ["q1"] = new Dictionary<string, int> { ["d1"] = 1 } };
        var run = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["q1"] = new Dictionary<string, double> { ["d1"] = 1, ["d2"] = 2 } };
        var result = Evaluator.Evaluate(qrels, run, MeasureSet.Parse(["num_q", "recip_rank"]));
        using var w = new StringWriter();

        TrecEvalFormat.Write(w, result, perQuery: true);

        Assert.Equal("recip_rank            \tq1\t0.5000\nnum_q                 \tall\t1\nrecip_rank            \tall\t0.5000\n", w.ToString());
    }
}
