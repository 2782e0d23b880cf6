using Disco.Text;

namespace Disco.Retrieval.Tests;

public sealed class TermHighlighterTests
{
    // A tiny vocabulary: whole words, continuation pieces and specials (ids in list order).
    private static readonly TermHighlighter Highlighter = new(WordPieceTokenizer.FromVocabulary(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "run", "##ning", "cafe", "paris", "is", "the", "capital", ".", ",", "'", "s", "東", "京", "tower"]));

    private static List<(string Word, string Terms)> Find(string text, params string[] terms) =>
        [.. Highlighter.Find(text, terms.ToHashSet()).Select(s => (text.Substring(s.Start, s.Length), string.Join(" ", s.Terms)))];

    [Fact]
    public void Words_holding_a_term_are_found_whole_with_the_pieces_that_matched()
    {
        Assert.Equal([("Running", "##ning"), ("running", "##ning")], Find("Running, running.", "##ning"));
        Assert.Equal([("Running", "run ##ning")], Find("Running", "run", "##ning", "paris"));
        // Accents are stripped and case folded as the tokenizer does; punctuation is never part of a word.
        Assert.Equal([("Café", "cafe"), ("Paris", "paris")], Find("Café in Paris's tower", "cafe", "paris"));
        // CJK ideographs are words of one character.
        Assert.Equal([("京", "京")], Find("東京", "京"));
        Assert.Empty(Find("the capital", "tower"));
        Assert.Empty(Find("", "tower"));
    }

    [Fact]
    public void The_terms_of_a_text_are_its_wordpieces_with_the_specials_cut_at_the_encoders_length()
    {
        Assert.True(Highlighter.TermsOf("Paris is the capital").SetEquals(["[CLS]", "[SEP]", "paris", "is", "the", "capital"]));
        Assert.True(Highlighter.TermsOf("Paris is the capital", maxLength: 4).SetEquals(["[CLS]", "[SEP]", "paris", "is"]));
        Assert.Contains("[SEP]", Highlighter.TermsOf("tower [SEP] paris"));
    }
}
