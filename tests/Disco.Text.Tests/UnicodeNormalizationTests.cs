namespace Disco.Text.Tests;

/// <summary>
/// Uncased BERT's lowercasing and accent stripping, checked against forms written out by hand from the
/// Unicode standard (decompositions, casing), on the real bert-base-uncased vocabulary.
/// </summary>
public sealed class UnicodeNormalizationTests
{
    [Theory]
    [InlineData("İstanbul", "istanbul")]              // Python lowercases U+0130 to i + U+0307, then the mark is stripped
    [InlineData("ÅNGSTRÖM Ça", "angstrom ca")]
    [InlineData("\uF900", "\u8C48")]                  // CJK compatibility ideograph → its canonical unified ideograph
    [InlineData("한국", "\u1112\u1161\u11AB\u1100\u116E\u11A8")] // Hangul syllables decompose into jamo
    [InlineData("e\u0301 n\u0303", "e n")]            // combining marks (Mn) are removed
    public void Uncased_text_tokenizes_like_its_normalized_form(string text, string normalized)
    {
        var tokenizer = GoldenCases.Tokenizer;

        Assert.Equal(tokenizer.Encode(normalized), tokenizer.Encode(text));
    }

    [Fact]
    public void Ligature_is_not_folded_to_ascii()
    {
        var tokenizer = GoldenCases.Tokenizer;

        Assert.NotEqual(tokenizer.Encode("fi"), tokenizer.Encode("ﬁ"));
    }

    [Fact]
    public void Supplementary_ideographs_are_isolated_like_bmp_ones()
    {
        var tokenizer = GoldenCases.Tokenizer;

        // U+20000 is in HF's CJK extension B range: a word of its own, so "a𠀀b" is three words.
        Assert.Equal(tokenizer.Encode("a 𠀀 b"), tokenizer.Encode("a𠀀b"));
    }
}
