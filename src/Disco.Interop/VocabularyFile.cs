using Disco.Core;
using Disco.Text;

namespace Disco.Interop;

/// <summary>
/// A vocabulary (term id → token) for indexes that store term ids: a <c>vocab.txt</c> (one token
/// per line, id = line number, as HuggingFace's BERT tokenizers) or a tokenizer/model folder
/// (its <c>tokenizer.json</c> or <c>vocab.txt</c>, as the encoder reads it).
/// </summary>
public static class VocabularyFile
{
    public static IReadOnlyList<string> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            return WordPieceTokenizer.FromDirectory(path).Vocabulary;
        if (!File.Exists(path))
            throw new DiscoException($"{path}: vocabulary file not found");
        if (Path.GetFileName(path) == "tokenizer.json")
            return WordPieceTokenizer.FromDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!).Vocabulary;
        var tokens = File.ReadAllLines(path);
        return tokens.Length > 0 ? tokens : throw new DataFormatException(path, 0, "the vocabulary is empty");
    }
}
