using System.Globalization;

namespace Disco.Evaluation;

/// <summary>trec_eval's text output: <c>%-22s\t%s\t%6.4f</c> per value, counts as integers.</summary>
public static class TrecEvalFormat
{
    /// <summary>Writes per-query lines (when asked; num_q has none, as in trec_eval) and then the "all" lines.</summary>
    public static void Write(TextWriter writer, EvaluationResult result, bool perQuery)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var names = result.ValueNames;
        if (perQuery)
        {
            foreach (var q in result.Queries)
            {
                for (var j = 0; j < names.Count; j++)
                {
                    if (names[j] == "num_q")
                        continue;
                    WriteLine(writer, names[j], q.QueryId, q.Values[j], result.IsCount[j]);
                }
            }
        }
        for (var j = 0; j < names.Count; j++)
            WriteLine(writer, names[j], "all", result.Summary[j], result.IsCount[j]);
    }

    /// <summary>One value as trec_eval prints it: 4 decimals, or an integer for counts.</summary>
    public static string FormatValue(double value, bool isCount)
    {
        if (isCount)
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        // glibc's printf rounds exact decimal ties to even (0.03125 -> 0.0312) while .NET rounds them away
        // from zero. A tie at the 5th decimal is exactly representable only for multiples of 1/32.
        var scaled = value * 32;
        if (scaled == Math.Floor(scaled) && !double.IsInfinity(scaled))
            value = Math.Round(value * 10000, MidpointRounding.ToEven) / 10000;
        return value.ToString("F4", CultureInfo.InvariantCulture).PadLeft(6);
    }

    private static void WriteLine(TextWriter writer, string name, string qid, double value, bool isCount)
    {
        writer.Write(name.PadRight(22));
        writer.Write('\t');
        writer.Write(qid);
        writer.Write('\t');
        writer.Write(FormatValue(value, isCount));
        writer.Write('\n');
    }
}
