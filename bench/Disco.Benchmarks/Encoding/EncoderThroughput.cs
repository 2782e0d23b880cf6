using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Modeling.Onnx;
using Disco.Onnx;
using Disco.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Disco.Benchmarks.Encoding;

/// <summary>
/// `encoder-throughput`: passages/s of <see cref="SpladeEncoder"/> on a BERT-base-shaped model with
/// random weights (bench/encode.sh runs it beside the PyTorch peer). Each run is one timed pass after
/// a short warm-up, because one pass already takes many seconds; BenchmarkDotNet's repetitions would
/// cost minutes on a shared machine.
/// </summary>
public static class EncoderThroughput
{
    private const double GflopPerPassage256 = 58.0;

    public static int Run(string[] args)
    {
        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var passages = Arg("--passages", 16);
        var tokens = Arg("--tokens", 256);
        var batch = Arg("--batch", 8);
        var threads = Arg("--threads", 2);
        var experiments = args.Contains("--experiments");
        var bf16Only = args.Contains("--bf16");
        var onnx = args.Contains("--onnx");

        set_num_threads(threads);
        manual_seed(0);
        var tokenizer = WordPieceTokenizer.FromVocabulary(Enumerable.Range(0, 30522).Select(i => i switch
        {
            0 => "[PAD]",
            100 => "[UNK]",
            101 => "[CLS]",
            102 => "[SEP]",
            103 => "[MASK]",
            _ => $"t{i}",
        }));
        using var model = new BertForMaskedLM(new BertConfig());
        var options = new SpladeEncoderOptions(BatchSize: batch, MaxLength: tokens);
        var encoder = new SpladeEncoder(model, tokenizer, options);
        var random = new Random(0);
        int[] Passage(int length) => [101, .. Enumerable.Range(0, length - 2).Select(_ => random.Next(1000, 30000)), 102];
        var fixedLength = Enumerable.Range(0, passages).Select(_ => Passage(tokens)).ToList();

        encoder.EncodeTokenIds([Passage(32), Passage(32)]);
        var (seconds, fp32) = Time(() => encoder.EncodeTokenIds(fixedLength));
        Report("fp32", passages, tokens, batch, threads, seconds, passages * GflopPerPassage256 * tokens / 256);
        if (onnx)
            OnnxVariants(model, tokenizer, fixedLength, fp32, batch, threads, tokens);
        if (bf16Only)
        {
            Bf16(model, encoder, fixedLength, fp32, passages, tokens, batch, threads);
            return 0;
        }
        if (!experiments)
            return 0;

        // Variable lengths (uniform 32..tokens): length-sorted batches against batches in input order.
        var variable = Enumerable.Range(0, passages).Select(_ => Passage(random.Next(32, tokens + 1))).ToList();
        var flop = variable.Sum(p => GflopPerPassage256 * p.Length / 256);
        var (sorted, _) = Time(() => encoder.EncodeTokenIds(variable));
        Report("fp32 variable-length, length-sorted", passages, tokens, batch, threads, sorted, flop);
        var (unsorted, _) = Time(() => variable.Chunk(batch).SelectMany(chunk => encoder.EncodeTokenIds(chunk)).ToList());
        Report("fp32 variable-length, input order", passages, tokens, batch, threads, unsorted, flop);

        Bf16(model, encoder, fixedLength, fp32, passages, tokens, batch, threads);
        return 0;
    }

    /// <summary>bfloat16 weights and activations (TorchSharp has no CPU autocast): speed and agreement with fp32.</summary>
    private static void Bf16(BertForMaskedLM model, SpladeEncoder encoder, List<int[]> fixedLength, IReadOnlyList<SparseVector> fp32, int passages, int tokens, int batch, int threads)
    {
        model.to(ScalarType.BFloat16);
        encoder.EncodeTokenIds([.. fixedLength.Take(2).Select(p => p[..32])]);
        var (bfSeconds, bf16) = Time(() => encoder.EncodeTokenIds(fixedLength));
        Report("bf16", passages, tokens, batch, threads, bfSeconds, passages * GflopPerPassage256 * tokens / 256, Agreement(fp32, bf16));
        model.to(ScalarType.Float32);
    }

    /// <summary>
    /// The same model exported by <see cref="OnnxExporter"/> (float32, and int8 dynamic quantization) and run by
    /// ONNX Runtime with all graph optimizations, on the same passages and threads.
    /// </summary>
    private static void OnnxVariants(BertForMaskedLM model, WordPieceTokenizer tokenizer, List<int[]> passages, IReadOnlyList<SparseVector> fp32, int batch, int threads, int tokens)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"disco-bench-onnx-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllLines(Path.Combine(dir, "vocab.txt"), tokenizer.Vocabulary);
            foreach (var (name, quantization) in new[] { ("onnx fp32", OnnxQuantization.None), ("onnx int8", OnnxQuantization.DynamicInt8) })
            {
                var file = OnnxExporter.Export(model, dir, new OnnxExportOptions(Quantization: quantization));
                using var encoder = OnnxSpladeEncoder.Load(dir, new OnnxEncoderOptions(BatchSize: batch, MaxLength: tokens, Threads: threads, OnnxFile: Path.GetFileName(file)));
                encoder.EncodeTokenIds([.. passages.Take(2).Select(p => p[..32])]);
                var (seconds, vectors) = Time(() => encoder.EncodeTokenIds(passages));
                Report(name, passages.Count, tokens, batch, threads, seconds, passages.Count * GflopPerPassage256 * tokens / 256, Agreement(fp32, vectors));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (double Seconds, IReadOnlyList<SparseVector> Vectors) Time(Func<IReadOnlyList<SparseVector>> run)
    {
        var clock = Stopwatch.StartNew();
        var vectors = run();
        return (clock.Elapsed.TotalSeconds, vectors);
    }

    /// <summary>Relative L2 error of the vectors and overlap of their top-100 terms, averaged over passages.</summary>
    private static Dictionary<string, double> Agreement(IReadOnlyList<SparseVector> reference, IReadOnlyList<SparseVector> other)
    {
        double error = 0, overlap = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            var a = reference[i];
            var b = other[i];
            var diff = Math.Sqrt(Math.Max(0, a.Dot(a) - 2 * a.Dot(b) + b.Dot(b)));
            error += diff / Math.Sqrt(a.Dot(a));
            var topA = a.Prune(100).Indices.ToHashSet();
            overlap += b.Prune(100).Indices.Count(topA.Contains) / (double)Math.Max(1, topA.Count);
        }
        return new() { ["relative_l2_error"] = error / reference.Count, ["top100_overlap"] = overlap / reference.Count };
    }

    private static void Report(string variant, int passages, int tokens, int batch, int threads, double seconds, double gflop, Dictionary<string, double>? extra = null)
    {
        var result = new Dictionary<string, object>
        {
            ["system"] = "disco",
            ["variant"] = variant,
            ["threads"] = threads,
            ["passages"] = passages,
            ["tokens"] = tokens,
            ["batch"] = batch,
            ["seconds"] = Math.Round(seconds, 3),
            ["passages_per_s"] = Math.Round(passages / seconds, 4),
            ["gflop_per_s"] = Math.Round(gflop / seconds, 1),
        };
        foreach (var (k, v) in extra ?? [])
            result[k] = Math.Round(v, 5);
        Console.WriteLine(JsonSerializer.Serialize(result));
    }
}
