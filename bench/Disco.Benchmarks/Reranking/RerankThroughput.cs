using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Disco.Modeling;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Benchmarks.Reranking;

/// <summary>
/// `rerank-throughput --pairs-file F [--batch 32] [--threads 2]`: pairs/s of <see cref="CrossEncoder"/>
/// (length-sorted batches, the product path of <c>disco rerank</c>) on a MiniLM-L6-shaped
/// BertForSequenceClassification with random weights, over the pairs bench/peers/rerank_torch.py
/// wrote, so both systems score the same token sequences (bench/rerank.sh). One timed pass after a
/// one-batch warm-up; prints one JSON line.
/// </summary>
public static class RerankThroughput
{
    public static int Run(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var file = Arg("--pairs-file") ?? throw new ArgumentException("--pairs-file FILE is required");
        var batch = int.Parse(Arg("--batch") ?? "32", CultureInfo.InvariantCulture);
        var threads = int.Parse(Arg("--threads") ?? "2", CultureInfo.InvariantCulture);
        set_num_threads(threads);
        manual_seed(0);

        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var pairs = document.RootElement.EnumerateArray()
            .Select(p => new EncodedPair([.. p.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32())], p.GetProperty("first").GetInt32()))
            .ToArray();
        var tokenizer = WordPieceTokenizer.FromVocabulary(Enumerable.Range(0, 30522).Select(i => i switch
        {
            0 => "[PAD]",
            100 => "[UNK]",
            101 => "[CLS]",
            102 => "[SEP]",
            103 => "[MASK]",
            _ => $"t{i}",
        }));
        // cross-encoder/ms-marco-MiniLM-L-6-v2's shape.
        var config = new BertConfig(hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12, intermediateSize: 1536);
        using var model = new BertForSequenceClassification(config);
        using var scorer = new CrossEncoder(model, tokenizer, new CrossEncoderOptions(BatchSize: batch));

        scorer.ScoreEncoded(pairs.Take(batch).ToArray());
        var clock = Stopwatch.StartNew();
        scorer.ScoreEncoded(pairs);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["system"] = "disco TorchSharp fp32",
            ["pairs"] = pairs.Length,
            ["batch"] = batch,
            ["threads"] = threads,
            ["seconds"] = seconds,
            ["pairs_per_s"] = pairs.Length / seconds,
        }));
        return 0;
    }
}
