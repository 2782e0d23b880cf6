using System.Globalization;

namespace Disco.Evaluation;

/// <summary>
/// Text table of several runs: one row per measure, the baseline's value, then for each other run its value and
/// the paired t-test and randomisation test p-values against the baseline.
/// </summary>
public static class ComparisonTable
{
    public static void Write(TextWriter writer, RunComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(comparison);
        var header = new List<string> { "measure", comparison.RunNames[0] };
        for (var r = 1; r < comparison.RunNames.Count; r++)
            header.AddRange([comparison.RunNames[r], "p(t)", "p(rand)"]);
        var table = new List<string[]> { header.ToArray() };
        foreach (var row in comparison.Rows)
        {
            var cells = new List<string> { row.ValueName, TrecEvalFormat.FormatValue(row.Values[0], row.IsCount).Trim() };
            for (var r = 1; r < row.Values.Count; r++)
                cells.AddRange([TrecEvalFormat.FormatValue(row.Values[r], row.IsCount).Trim(), P(row.TTestP[r]), P(row.RandomizationP[r])]);
            table.Add([.. cells]);
        }
        var widths = Enumerable.Range(0, header.Count).Select(c => table.Max(line => line[c].Length)).ToArray();
        foreach (var line in table)
        {
            for (var c = 0; c < line.Length; c++)
            {
                if (c > 0)
                    writer.Write("  ");
                writer.Write(c == line.Length - 1 ? line[c] : line[c].PadRight(widths[c]));
            }
            writer.Write('\n');
        }
        writer.Write($"p-values: paired t-test and paired randomisation test (two-sided) against {comparison.RunNames[0]}, over the queries evaluated in both runs ({string.Join(", ", comparison.PairedQueries.Skip(1))}).\n");
    }

    private static string P(double p) => double.IsNaN(p) ? "-" : p.ToString("F4", CultureInfo.InvariantCulture);
}
