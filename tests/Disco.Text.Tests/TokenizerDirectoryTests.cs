using Disco.Core;
using Disco.TestSupport;

namespace Disco.Text.Tests;

public sealed class TokenizerDirectoryTests
{
    // The layout HF's tokenizers library writes for a BertTokenizerFast (abridged to a tiny vocabulary).
    private const string TokenizerJson = """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [
            {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 4, "content": "[MASK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 9, "content": "<turn>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
          ],
          "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": false},
          "pre_tokenizer": {"type": "BertPreTokenizer"},
          "post_processor": {"type": "TemplateProcessing"},
          "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
          "model": {
            "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
            "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "Hello": 5, "hello": 6, "wor": 7, "##ld": 8}
          }
        }
        """;

    [Fact]
    public void Tokenizer_json_only_directory_reads_vocab_normalizer_and_added_tokens()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tokenizer.json"), TokenizerJson);

        var tokenizer = WordPieceTokenizer.FromDirectory(dir.Path);

        Assert.Equal(10, tokenizer.Vocabulary.Count);
        Assert.False(tokenizer.LowerCase);
        Assert.Equal([2, 5, 6, 9, 7, 8, 1, 3], tokenizer.Encode("Hello hello<turn>world HELLO"));
    }

    [Fact]
    public void Tokenizer_config_do_lower_case_overrides_tokenizer_json()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tokenizer.json"), TokenizerJson);
        File.WriteAllText(dir.File("tokenizer_config.json"), """{"do_lower_case": true, "model_max_length": 1000000000000000019884624838656}""");

        var tokenizer = WordPieceTokenizer.FromDirectory(dir.Path);

        Assert.True(tokenizer.LowerCase);
        Assert.Equal(int.MaxValue, tokenizer.ModelMaxLength);
        Assert.Equal([2, 6, 6, 3], tokenizer.Encode("Hello HELLO"));
    }

    [Fact]
    public void Vocab_txt_directory_reads_config()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Hello", "hello"]);
        File.WriteAllText(dir.File("tokenizer_config.json"), """{"do_lower_case": false, "model_max_length": 128}""");

        var tokenizer = WordPieceTokenizer.FromDirectory(dir.Path);

        Assert.Equal(128, tokenizer.ModelMaxLength);
        Assert.Equal([2, 5, 6, 3], tokenizer.Encode("Hello hello"));
    }

    [Fact]
    public void Tiny_splade_fixture_is_uncased_bert_base()
    {
        var tokenizer = WordPieceTokenizer.FromDirectory(Fixtures.TinySplade);

        Assert.Equal(30522, tokenizer.Vocabulary.Count);
        Assert.True(tokenizer.LowerCase);
        Assert.Equal((0, 100, 101, 102), (tokenizer.PadId, tokenizer.UnkId, tokenizer.ClsId, tokenizer.SepId));
        Assert.Equal(103, tokenizer.TokenToId("[MASK]"));
    }

    [Fact]
    public void Missing_directory_names_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "disco-no-such-dir-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DiscoException>(() => WordPieceTokenizer.FromDirectory(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_without_vocabulary_names_the_expected_files()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<DiscoException>(() => WordPieceTokenizer.FromDirectory(dir.Path));

        Assert.Contains(dir.File("vocab.txt"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_tokenizer_json_reports_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tokenizer.json"), "{\n  \"model\": {\n    \"vocab\": [1, 2\n}");

        var error = Assert.Throws<DataFormatException>(() => WordPieceTokenizer.FromDirectory(dir.Path));

        Assert.StartsWith(dir.File("tokenizer.json") + ":", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void Non_wordpiece_model_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tokenizer.json"), """{"model": {"type": "BPE", "vocab": {"a": 0}}}""");

        var error = Assert.Throws<DataFormatException>(() => WordPieceTokenizer.FromDirectory(dir.Path));

        Assert.Contains("BPE", error.Message, StringComparison.Ordinal);
    }
}
