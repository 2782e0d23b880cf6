using Disco.Core.Runs;
using Disco.TestSupport;

namespace Disco.Evaluation.Tests;

/// <summary>Reproduces the trec_eval 10.0 outputs stored in ../shared/fixtures/trec_eval to the printed digit.</summary>
public sealed class TrecEvalFixtureTests
{
    private static string FixturePath(string name) => Fixtures.Fixture("trec_eval", name);

    /// <summary>The measures of a reference file, taken from the names in its lines (P_10 is the alias of P.10).</summary>
    private static (MeasureSet Measures, string[] Lines) Reference(string name)
    {
        var lines = File.ReadAllLines(FixturePath(name)).Where(l => l.Length > 0).ToArray();
        var names = lines.Select(l => l.Split('\t')[0].Trim()).Distinct().ToArray();
        return (MeasureSet.Parse(names), lines);
    }

    private static string[] Render(EvaluationResult result, bool perQuery)
    {
        using var writer = new StringWriter();
        TrecEvalFormat.Write(writer, result, perQuery);
        return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Theory]
    [InlineData("ref_runA_default.txt", 1)]
    [InlineData("ref_runA_l2.txt", 2)]
    public void SummaryMatchesTrecEval(string reference, int level)
    {
        var (measures, expected) = Reference(reference);
        var qrels = Qrels.Read(FixturePath("qrels.txt"));
        var run = Run.Read(FixturePath("runA.txt"));

        var result = Evaluator.Evaluate(qrels, run, measures, new EvaluationOptions(RelevanceLevel: level));

        Assert.Equal(expected, Render(result, perQuery: false));
    }

    [Fact]
    public void PerQueryMatchesTrecEval()
    {
        // trec_eval 10.0 stops with "result qid not found in qrels" at the first qrels query missing from the
        // run (q11 in runB), so its output holds the queries before it; ours must match those lines exactly.
        var (measures, expected) = Reference("ref_runB_perquery.txt");
        var qrels = Qrels.Read(FixturePath("qrels.txt"));
        var run = Run.Read(FixturePath("runB.txt"));

        var result = Evaluator.Evaluate(qrels, run, measures);
        var lines = Render(result, perQuery: true);

        Assert.Equal(expected, lines.Take(expected.Length));
        Assert.DoesNotContain(result.Queries, q => q.QueryId == "q11");
    }
}
