using Disco.Core;

namespace Disco.Text.Tests;

/// <summary>Behaviour on tiny vocabularies where the expected pieces follow from HF's algorithm by hand.</summary>
public sealed class InlineVocabularyTests
{
    private static readonly string[] Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        "un", "##aff", "##af", "##able", "aff", "able", "a", "##a", "hello", "world", ",", "!", "[", "]", "sep",
        "東", "京", "cafe", "Hello", "##ing", "runn", "$", "##ς", "οδο", "𝒜", "##𝒜",
    ];

    private static readonly WordPieceTokenizer Uncased = WordPieceTokenizer.FromVocabulary(Vocabulary);
    private static readonly WordPieceTokenizer Cased = WordPieceTokenizer.FromVocabulary(Vocabulary, lowerCase: false);

    private static string[] Pieces(WordPieceTokenizer tokenizer, string text) => [.. tokenizer.Tokenize(text)];

    [Fact]
    public void Greedy_longest_match_first_uses_continuation_pieces()
    {
        Assert.Equal(["un", "##aff", "##able"], Pieces(Uncased, "unaffable"));
        Assert.Equal(["runn", "##ing"], Pieces(Uncased, "running"));
    }

    [Fact]
    public void Word_with_an_unmatched_rest_becomes_a_single_unk()
    {
        Assert.Equal(["[UNK]"], Pieces(Uncased, "unaffablez"));
        Assert.Equal(["hello", "[UNK]", "world"], Pieces(Uncased, "hello xyz world"));
    }

    [Fact]
    public void Word_longer_than_100_code_points_becomes_unk()
    {
        Assert.Equal(100, Pieces(Uncased, new string('a', 100)).Length);
        Assert.Equal(["[UNK]"], Pieces(Uncased, new string('a', 101)));

        // The limit counts code points: 100 surrogate pairs are 200 chars but still within it.
        string astral = string.Concat(Enumerable.Repeat("𝒜", 100));
        Assert.Equal(100, Pieces(Uncased, astral).Length);
        Assert.Equal(["[UNK]"], Pieces(Uncased, astral + "𝒜"));
    }

    [Fact]
    public void Special_tokens_in_text_are_split_out_case_sensitively()
    {
        Assert.Equal(["hello", "[SEP]", "world"], Pieces(Uncased, "hello[SEP]world"));
        Assert.Equal(["[MASK]", "[CLS]"], Pieces(Uncased, "  [MASK][CLS]  "));
        Assert.Equal(["[", "sep", "]"], Pieces(Uncased, "[sep]"));
        Assert.Equal([2, 13, 3, 14, 3], Uncased.Encode("hello [SEP] world"));
    }

    [Fact]
    public void Punctuation_is_split_including_ascii_symbols()
    {
        Assert.Equal(["hello", ",", "world", "!"], Pieces(Uncased, "hello,world!"));
        Assert.Equal(["$", "a"], Pieces(Uncased, "$a"));
    }

    [Fact]
    public void Uncased_lowercases_and_strips_accents_while_cased_keeps_both()
    {
        Assert.Equal(["hello", "cafe"], Pieces(Uncased, "HeLLo CAFÉ"));
        Assert.Equal(["cafe"], Pieces(Uncased, "cafe\u0301"));
        Assert.Equal(["Hello", "[UNK]"], Pieces(Cased, "Hello café"));
    }

    [Fact]
    public void Capital_sigma_at_word_end_lowercases_to_final_sigma()
    {
        Assert.Equal(["οδο", "##ς"], Pieces(Uncased, "ΟΔΟΣ"));
    }

    [Fact]
    public void Control_and_zero_width_characters_are_removed_and_whitespace_separates()
    {
        Assert.Equal(["hello"], Pieces(Uncased, "hel\u0000lo"));
        Assert.Equal(["hello", ",", "world"], Pieces(Uncased, "HeL\u0007Lo,woRLD"));
        Assert.Equal(["hello"], Pieces(Uncased, "hel\u200Blo\uFFFD"));
        Assert.Equal(["hello", "world"], Pieces(Uncased, "hello\tworld"));
        Assert.Equal(["hello", "world"], Pieces(Uncased, "hello\u00A0world"));
        Assert.Equal(["hello", "world"], Pieces(Uncased, "hello\u2028world"));
    }

    [Fact]
    public void Cjk_ideographs_become_separate_words()
    {
        Assert.Equal(["東", "京", "hello"], Pieces(Uncased, "東京hello"));
    }

    [Fact]
    public void Truncation_keeps_cls_and_sep_and_the_first_pieces()
    {
        Assert.Equal([2, 13, 14, 13, 3], Uncased.Encode("hello world hello world hello", maxLength: 5));
        Assert.Equal([2, 3], Uncased.Encode("hello", maxLength: 2));
        Assert.Equal([2, 3], Uncased.Encode("", maxLength: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Uncased.Encode("hello", maxLength: 1));
    }

    [Fact]
    public void Truncation_inside_a_word_keeps_its_leading_pieces()
    {
        Assert.Equal([2, 5, 6, 3], Uncased.Encode("unaffable", maxLength: 4));
    }

    [Fact]
    public void Batch_pads_to_the_longest_row_with_pad_and_masks_padding()
    {
        string[] texts = ["hello world", "unaffable hello , world", ""];

        var batch = Uncased.EncodeBatch(texts, maxLength: 16);

        Assert.Equal(3, batch.BatchSize);
        Assert.Equal(8, batch.SequenceLength);
        Assert.Equal([4, 8, 2], batch.Lengths);
        Assert.Equal([2, 13, 14, 3, 0, 0, 0, 0], batch.InputIds[..8]);
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0], batch.AttentionMask[..8]);
        Assert.Equal([2, 3, 0, 0, 0, 0, 0, 0], batch.InputIds[16..]);
        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0], batch.AttentionMask[16..]);
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(Uncased.Encode(texts[i], 16).Select(id => (long)id), batch.Row(i).ToArray());
    }

    [Fact]
    public void Empty_batch_has_no_rows()
    {
        var batch = Uncased.EncodeBatch([], 8);

        Assert.Equal(0, batch.BatchSize);
        Assert.Empty(batch.InputIds);
    }

    [Fact]
    public void Token_lookups_round_trip()
    {
        Assert.Equal(13, Uncased.TokenToId("hello"));
        Assert.Null(Uncased.TokenToId("nope"));
        Assert.Equal("##able", Uncased.IdToToken(8));
        Assert.Equal(Vocabulary, Uncased.Vocabulary);
        Assert.Throws<ArgumentOutOfRangeException>(() => Uncased.IdToToken(Vocabulary.Length));
    }

    [Fact]
    public void Vocabulary_without_unk_is_refused()
    {
        var error = Assert.Throws<DiscoException>(() => WordPieceTokenizer.FromVocabulary(["[CLS]", "[SEP]", "a"]));
        Assert.Contains("[UNK]", error.Message, StringComparison.Ordinal);
    }
}
