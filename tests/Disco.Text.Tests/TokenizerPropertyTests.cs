using CsCheck;

namespace Disco.Text.Tests;

/// <summary>Properties over random text drawn from characters that exercise every branch of the tokenizer.</summary>
public sealed class TokenizerPropertyTests
{
    private const string Alphabet = "abcdefghij ABC  ,.!?'-$[]\t\n\r\u0000\u200B\u00A0éÉñüΣσ東京は日😀𝒜\uD800αβ";

    private static readonly Gen<string> Text =
        Gen.OneOf(
            Gen.String[Gen.Char[Alphabet], 0, 80],
            Gen.OneOf("the", "[SEP]", "[CLS]", "unaffable", "café", "tokenization", "東京", " ", ",").Array[0, 30].Select(words => string.Join(' ', words)));

    [Fact]
    public void Batch_rows_equal_single_encodes() =>
        Gen.Select(Text.Array[0, 6], Gen.Int[2, 40]).Sample((texts, maxLength) =>
        {
            var tokenizer = GoldenCases.Tokenizer;
            var batch = tokenizer.EncodeBatch(texts, maxLength);
            Assert.Equal(texts.Length, batch.BatchSize);
            for (int i = 0; i < texts.Length; i++)
            {
                var row = tokenizer.Encode(texts[i], maxLength);
                Assert.Equal(row.Select(id => (long)id), batch.Row(i).ToArray());
                var mask = batch.AttentionMask.AsSpan(i * batch.SequenceLength, batch.SequenceLength).ToArray();
                Assert.Equal(Enumerable.Range(0, batch.SequenceLength).Select(j => j < row.Length ? 1L : 0L), mask);
                Assert.All(batch.InputIds.AsSpan(i * batch.SequenceLength + row.Length, batch.SequenceLength - row.Length).ToArray(), id => Assert.Equal(0L, id));
            }
        });

    [Fact]
    public void Truncated_encoding_is_a_prefix_of_the_full_one_closed_by_sep() =>
        Gen.Select(Text, Gen.Int[2, 30]).Sample((text, maxLength) =>
        {
            var tokenizer = GoldenCases.Tokenizer;
            var full = tokenizer.Encode(text, int.MaxValue);
            var truncated = tokenizer.Encode(text, maxLength);
            int kept = Math.Min(full.Length - 2, maxLength - 2);
            Assert.Equal([.. full[..(kept + 1)], tokenizer.SepId], truncated);
        });

    [Fact]
    public void Encode_is_cls_tokenize_sep() =>
        Text.Sample(text =>
        {
            var tokenizer = GoldenCases.Tokenizer;
            var ids = tokenizer.Encode(text, int.MaxValue);
            var pieces = tokenizer.Tokenize(text);
            Assert.Equal([tokenizer.ClsId, .. pieces.Select(p => tokenizer.TokenToId(p)!.Value), tokenizer.SepId], ids);
        });

    [Fact]
    public void Parallel_encodes_equal_serial_encodes()
    {
        var tokenizer = GoldenCases.Tokenizer;
        var texts = GoldenCases.Lines("golden_documents.jsonl").Select(l => l.GetProperty("text").GetString()!)
            .Concat(GoldenCases.Lines("golden_tokenization.jsonl").Select(l => l.GetProperty("text").GetString()!))
            .ToArray();
        var serial = texts.Select(t => tokenizer.Encode(t, 256)).ToArray();

        var parallel = new int[texts.Length * 20][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = tokenizer.Encode(texts[i % texts.Length], 256));

        for (int i = 0; i < parallel.Length; i++)
            Assert.Equal(serial[i % texts.Length], parallel[i]);
    }
}
