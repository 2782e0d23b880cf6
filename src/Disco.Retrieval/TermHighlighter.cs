using System.Globalization;
using Disco.Text;

namespace Disco.Retrieval;

/// <summary>
/// Relates vocabulary terms back to raw text with the model's own tokenizer: which words of a
/// passage hold a document's matched terms (to highlight them), and which terms of a query vector
/// the query text itself holds (the others are expansion terms the encoder added).
/// </summary>
/// <remarks>
/// Words are split as BERT's basic tokenizer splits them (runs of letters, digits and combining
/// marks; CJK ideographs one by one; punctuation and spaces apart), and each word is cut into
/// wordpieces by the tokenizer, so "##ing" matches the end of "running" and "cafe" matches "Café".
/// A word is highlighted whole when any of its pieces matched.
/// </remarks>
public sealed class TermHighlighter
{
    private readonly WordPieceTokenizer _tokenizer;

    public TermHighlighter(WordPieceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
    }

    /// <summary>
    /// The wordpieces an encoder reads from <paramref name="text"/> cut at <paramref name="maxLength"/>
    /// tokens, [CLS] and [SEP] included: a query term outside this set is an expansion term.
    /// </summary>
    public IReadOnlySet<string> TermsOf(string text, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.Encode(text, maxLength).Select(_tokenizer.IdToToken).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The words of <paramref name="text"/> holding any of <paramref name="terms"/>, in text order.</summary>
    public IReadOnlyList<TextSpanMatch> Find(string text, IReadOnlySet<string> terms)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(terms);
        var spans = new List<TextSpanMatch>();
        if (terms.Count == 0)
            return spans;
        var seen = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var length = WordLength(text, i);
            if (length == 0)
            {
                i++;
                continue;
            }
            var word = text.Substring(i, length);
            if (!seen.TryGetValue(word, out var matched))
            {
                matched = [.. _tokenizer.Tokenize(word).Where(terms.Contains).Distinct(StringComparer.Ordinal)];
                seen[word] = matched;
            }
            if (matched.Length > 0)
                spans.Add(new TextSpanMatch(i, length, matched));
            i += length;
        }
        return spans;
    }

    /// <summary>Length of the word starting at <paramref name="start"/>; 0 when a space or punctuation is there.</summary>
    private static int WordLength(string text, int start)
    {
        if (IsIdeograph(text[start]))
            return 1;
        var i = start;
        while (i < text.Length && IsWordChar(text, i) && !IsIdeograph(text[i]))
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
        return i - start;
    }

    private static bool IsWordChar(string text, int i)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }

    // BERT's _is_chinese_char ranges in the Basic Multilingual Plane.
    private static bool IsIdeograph(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
