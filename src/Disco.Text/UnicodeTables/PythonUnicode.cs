using System.Globalization;
using System.Text;

namespace Disco.Text.UnicodeTables;

/// <summary>
/// Python's <c>str.lower()</c> and <c>unicodedata.normalize("NFD")</c> for single code points, read from
/// the embedded table that generate_unicode_tables.py writes. HuggingFace's BertTokenizer uses exactly
/// these; .NET's own Normalize is a no-op under InvariantGlobalization and its ToLowerInvariant uses
/// simple case mappings only (U+0130 stays unchanged), so neither can be used here.
/// </summary>
internal static class PythonUnicode
{
    private const int HangulBase = 0xAC00;
    private const int HangulCount = 11172;
    private const int LeadingBase = 0x1100;
    private const int VowelBase = 0x1161;
    private const int TrailingBase = 0x11A7;
    private const int VowelCount = 21;
    private const int TrailingCount = 28;

    private static readonly Lazy<(Dictionary<int, int[]> Lower, Dictionary<int, int[]> Decompositions)> Tables = new(Load);

    /// <summary>Appends Python's lowercase of <paramref name="codePoint"/> (one or more code points).</summary>
    public static void AppendLower(int codePoint, List<int> output)
    {
        if (Tables.Value.Lower.TryGetValue(codePoint, out var lower))
            output.AddRange(lower);
        else
            output.Add(codePoint);
    }

    /// <summary>Appends the full canonical decomposition of <paramref name="codePoint"/>.</summary>
    public static void AppendDecomposition(int codePoint, List<int> output)
    {
        int hangulIndex = codePoint - HangulBase;
        if (hangulIndex is >= 0 and < HangulCount)
        {
            // Hangul syllables decompose algorithmically (Unicode 3.12), so the table leaves them out.
            output.Add(LeadingBase + (hangulIndex / (VowelCount * TrailingCount)));
            output.Add(VowelBase + (hangulIndex % (VowelCount * TrailingCount) / TrailingCount));
            int trailing = hangulIndex % TrailingCount;
            if (trailing != 0)
                output.Add(TrailingBase + trailing);
            return;
        }

        if (Tables.Value.Decompositions.TryGetValue(codePoint, out var decomposition))
            output.AddRange(decomposition);
        else
            output.Add(codePoint);
    }

    /// <summary>
    /// The text HuggingFace's BasicTokenizer makes of one code point: lowercased (Python semantics) and/or
    /// decomposed with the non-spacing marks (category Mn) removed.
    /// </summary>
    public static string Normalize(int codePoint, bool lowerCase, bool stripAccents)
    {
        var current = new List<int>(4) { codePoint };
        if (lowerCase)
        {
            var lowered = new List<int>(4);
            foreach (int cp in current)
                AppendLower(cp, lowered);
            current = lowered;
        }

        if (stripAccents)
        {
            var decomposed = new List<int>(4);
            foreach (int cp in current)
                AppendDecomposition(cp, decomposed);
            current = decomposed.FindAll(cp => CharUnicodeInfo.GetUnicodeCategory(cp) != UnicodeCategory.NonSpacingMark);
        }

        var builder = new StringBuilder(current.Count * 2);
        foreach (int cp in current)
            builder.Append(char.ConvertFromUtf32(cp));
        return builder.ToString();
    }

    private static (Dictionary<int, int[]>, Dictionary<int, int[]>) Load()
    {
        var lower = new Dictionary<int, int[]>();
        var decompositions = new Dictionary<int, int[]>();
        using var stream = typeof(PythonUnicode).Assembly.GetManifestResourceStream("Disco.Text.unicode_tables.txt")
            ?? throw new InvalidOperationException("embedded resource Disco.Text.unicode_tables.txt is missing");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split(' ');
            int key = int.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var values = new int[fields.Length - 2];
            for (int i = 0; i < values.Length; i++)
                values[i] = int.Parse(fields[i + 2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            (fields[0] == "L" ? lower : decompositions)[key] = values;
        }

        return (lower, decompositions);
    }
}
