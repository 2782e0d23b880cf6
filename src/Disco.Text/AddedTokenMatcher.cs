using System.Buffers;

namespace Disco.Text;

/// <summary>
/// Finds special and added tokens (<c>[SEP]</c>, <c>[CLS]</c>, ...) written in raw text. HuggingFace splits
/// them out before any normalization, case-sensitively, preferring the longest token at a position;
/// the whitespace HF strips around them is a separator for BERT anyway.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly (string Text, int Id)[] _tokens;
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<(string Text, int Id)> tokens)
    {
        _tokens = [.. tokens.Where(t => t.Text.Length > 0).DistinctBy(t => t.Text).OrderByDescending(t => t.Text.Length)];
        _firstChars = SearchValues.Create([.. _tokens.Select(t => t.Text[0]).Distinct()]);
    }

    public IReadOnlyList<(string Text, int Id)> Tokens => _tokens;

    /// <summary>The position of the first added token at or after <paramref name="from"/>, or -1.</summary>
    public int Find(ReadOnlySpan<char> text, int from, out int id, out int length)
    {
        id = -1;
        length = 0;
        if (_tokens.Length == 0)
            return -1;
        while (from < text.Length)
        {
            int offset = text[from..].IndexOfAny(_firstChars);
            if (offset < 0)
                return -1;
            int position = from + offset;
            var rest = text[position..];
            foreach (var (token, tokenId) in _tokens)
            {
                if (rest.StartsWith(token, StringComparison.Ordinal))
                {
                    id = tokenId;
                    length = token.Length;
                    return position;
                }
            }

            from = position + 1;
        }

        return -1;
    }
}
