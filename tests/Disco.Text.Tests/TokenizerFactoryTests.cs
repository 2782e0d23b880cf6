using Disco.Core;
using Disco.TestSupport;

namespace Disco.Text.Tests;

/// <summary>Tokenizers built from a vocabulary and explicit settings, as a service without a model folder would.</summary>
public sealed class TokenizerFactoryTests
{
    private static readonly string VocabPath = Path.Combine(Fixtures.TinySplade, "vocab.txt");

    [Fact]
    public void A_vocab_file_or_stream_with_bert_settings_tokenizes_as_the_model_folder_does()
    {
        var folder = WordPieceTokenizer.FromDirectory(Fixtures.TinySplade);
        var fromPath = WordPieceTokenizer.Create(VocabPath, new WordPieceSettings { LowerCase = true, ModelMaxLength = 512 });
        using var stream = File.OpenRead(VocabPath);
        var fromStream = WordPieceTokenizer.Create(stream);
        foreach (var line in GoldenCases.Lines("golden_tokenization.jsonl"))
        {
            var text = line.GetProperty("text").GetString()!;
            Assert.Equal(folder.Encode(text, 256), fromPath.Encode(text, 256));
            Assert.Equal(folder.Encode(text, 256), fromStream.Encode(text, 256));
        }
    }

    [Fact]
    public void Settings_change_the_tokenization_and_bad_vocabularies_are_refused()
    {
        var cased = WordPieceTokenizer.Create(VocabPath, new WordPieceSettings { LowerCase = false });
        Assert.False(cased.LowerCase);
        Assert.NotEqual(WordPieceTokenizer.Create(VocabPath).Encode("PARIS", 16), cased.Encode("PARIS", 16));
        Assert.Throws<DataFormatException>(() => WordPieceTokenizer.Create(new MemoryStream()));
        Assert.Throws<DiscoException>(() => WordPieceTokenizer.Create(["a", "b"], new WordPieceSettings()));
    }
}
