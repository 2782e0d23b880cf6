using BenchmarkDotNet.Attributes;
using Disco.Text;
using MlBertOptions = Microsoft.ML.Tokenizers.BertOptions;
using MlBertTokenizer = Microsoft.ML.Tokenizers.BertTokenizer;

namespace Disco.Benchmarks.Tokenization;

/// <summary>
/// Single-thread tokenization of the same ~4 MB of real passages and conversational text by Disco's
/// WordPieceTokenizer and two .NET peers, all with the bert-base-uncased vocabulary and [CLS]/[SEP].
/// Each operation encodes the whole corpus. The setup also prints each tokenizer's parity on the
/// 25 HF golden cases and the corpus size in tokens (for tokens/s).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(TokenizerBenchmarkConfig))]
public class TokenizerBenchmarks
{
    private const int MaxLength = 512;

    private string[] _texts = [];
    private WordPieceTokenizer _disco = null!;
    private MlBertTokenizer _microsoftMl = null!;
    private FastBertTokenizer.BertTokenizer _fastBert = null!;

    [GlobalSetup]
    public void Setup()
    {
        string vocab = Path.Combine(TokenizerCorpus.TinySplade, "vocab.txt");
        _texts = TokenizerCorpus.Load(minChars: 4_000_000);
        _disco = WordPieceTokenizer.FromDirectory(TokenizerCorpus.TinySplade);
        _microsoftMl = MlBertTokenizer.Create(vocab, new MlBertOptions
        {
            // bert-base-uncased settings: lowercase, strip accents, isolate CJK, split [SEP] etc. out of text.
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            IndividuallyTokenizeCjk = true,
            SplitOnSpecialTokens = true,
        });
        _fastBert = new FastBertTokenizer.BertTokenizer();
        using (var reader = new StreamReader(vocab))
            _fastBert.LoadVocabulary(reader, convertInputToLowercase: true);

        long chars = _texts.Sum(t => (long)t.Length);
        Console.WriteLine($"// corpus: {_texts.Length} texts, {chars} chars, {Disco()} Disco tokens; invariant globalization: {"é".Normalize(System.Text.NormalizationForm.FormD).Length == 1}");
        Report("Disco.WordPieceTokenizer", (text, max) => _disco.Encode(text, max));
        Report("Microsoft.ML.Tokenizers.BertTokenizer", (text, max) => _microsoftMl.EncodeToIds(text, max, addSpecialTokens: true, out _, out _));
        Report("FastBertTokenizer", (text, max) => [.. _fastBert.Encode(text, max).InputIds.ToArray().Select(id => (int)id)]);
    }

    [Benchmark(Baseline = true)]
    public long Disco()
    {
        long tokens = 0;
        foreach (string text in _texts)
            tokens += _disco.Encode(text, MaxLength).Length;
        return tokens;
    }

    [Benchmark]
    public long MicrosoftMlTokenizers()
    {
        long tokens = 0;
        foreach (string text in _texts)
            tokens += _microsoftMl.EncodeToIds(text, MaxLength, addSpecialTokens: true, out _, out _).Count;
        return tokens;
    }

    [Benchmark]
    public long FastBert()
    {
        long tokens = 0;
        foreach (string text in _texts)
            tokens += _fastBert.Encode(text, MaxLength).InputIds.Length;
        return tokens;
    }

    private static void Report(string name, Func<string, int, IReadOnlyList<int>> encode)
    {
        var (matches, total, mismatches) = TokenizerParity.Count(encode);
        Console.WriteLine($"// parity {name}: {matches}/{total} golden cases (mismatched lines: {string.Join(' ', mismatches)})");
    }
}
