using System.Globalization;
using System.Text;
using Disco.Core.Runs;

namespace Disco.Core.Tests;

/// <summary>The pooled UTF-8 TREC writer, byte for byte against a plain string formatting of each line.</summary>
public class TrecRunWriterTests
{
    private static readonly double[] EdgeScores =
    [
        0, -0.0, 1, -1, 0.1f, 0.1, 1e-45, float.Epsilon, float.MaxValue, -float.MaxValue, double.MaxValue,
        double.Epsilon, 123456789.0, 1.0 / 3, 1f / 3, 16777217, 1e21, 1e-7, 9.999999e20f, double.PositiveInfinity,
        double.NegativeInfinity, 2.5e-310,
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Bytes_equal_a_reference_formatting_over_random_runs(int seed)
    {
        var random = new Random(seed);
        var rankings = new List<Ranking>();
        for (var q = 0; q < 30; q++)
        {
            var docs = Enumerable.Range(0, random.Next(0, 2000)).Select(d => new ScoredDocument(Id(random, $"d{d}"), Score(random))).ToList();
            rankings.Add(new Ranking(Id(random, $"q{q}"), docs));
        }
        var run = new Run(rankings);
        var tag = random.Next(2) == 0 ? Run.DefaultTag : "tág-" + new string('t', random.Next(0, 100));
        using var stream = new MemoryStream();
        run.WriteTrec(stream, tag);
        Assert.Equal(Reference(run, tag), stream.ToArray());
    }

    [Fact]
    public void A_line_longer_than_the_buffer_is_written_whole()
    {
        var id = new string('é', 100_000);
        var run = new Run([new Ranking("q", [new ScoredDocument(id, 1.5), new ScoredDocument("d", 0.25)])]);
        using var stream = new MemoryStream();
        run.WriteTrec(stream);
        Assert.Equal(Reference(run, Run.DefaultTag), stream.ToArray());
    }

    /// <summary>Each line as a string, then UTF-8: the shortest round-trip float text when the score is a float, else the double's.</summary>
    private static byte[] Reference(Run run, string tag)
    {
        var text = new StringBuilder();
        foreach (var ranking in run.Rankings)
        {
            for (var i = 0; i < ranking.Documents.Count; i++)
            {
                var score = ranking.Documents[i].Score;
                var formatted = (double)(float)score == score
                    ? ((float)score).ToString("R", CultureInfo.InvariantCulture)
                    : score.ToString("R", CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"{ranking.QueryId} Q0 {ranking.Documents[i].DocId} {i + 1} {formatted} {tag}\n");
            }
        }
        return new UTF8Encoding(false).GetBytes(text.ToString());
    }

    private static string Id(Random random, string plain) => random.Next(20) switch
    {
        0 => plain + "-ü中𝄞",
        1 => plain + "\uD800",
        2 => plain + new string('x', random.Next(100, 3000)),
        _ => plain,
    };

    private static double Score(Random random) => random.Next(4) switch
    {
        0 => EdgeScores[random.Next(EdgeScores.Length)],
        1 => (float)(random.NextDouble() * 40 - 5),
        2 => random.NextDouble() * Math.Pow(10, random.Next(-300, 300)),
        _ => BitConverter.Int32BitsToSingle(random.Next()),
    };
}
