using System.Globalization;
using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

/// <summary>
/// Cross-encoder training in the shared loop: the two listwise steps of the tiny cross-encoder
/// fixture's golden_listwise_steps.json (made by an independent plain-torch script,
/// tests/fixtures/scripts/make_tiny_cross_encoder.py), and exact resume.
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class CrossEncoderTrainingTests
{
    /// <summary>
    /// The golden's groups as run-mode data: each query's first document is its positive (qrels), the
    /// others its only candidates in the run, in the golden's order (descending scores), so the
    /// sampler's group is exactly the golden's with 3 negatives.
    /// </summary>
    private static CrossEncoderTrainingOptions GoldenData(JsonElement golden, TempDirectory dir)
    {
        var queries = new List<string>();
        var passages = new Dictionary<string, string>(StringComparer.Ordinal);
        var qrels = new List<string>();
        var run = new List<string>();
        foreach (var group in golden.GetProperty("groups").EnumerateArray())
        {
            var qid = group.GetProperty("query").GetString()!;
            queries.Add($"{qid}\t{group.GetProperty("query_text").GetString()}");
            var docs = group.GetProperty("docs").EnumerateArray().Select(d => d.GetString()!).ToArray();
            var texts = group.GetProperty("doc_texts").EnumerateArray().Select(d => d.GetString()!).ToArray();
            for (var i = 0; i < docs.Length; i++)
            {
                passages[docs[i]] = texts[i];
                run.Add(string.Create(CultureInfo.InvariantCulture, $"{qid} Q0 {docs[i]} {i + 1} {10 - i} golden"));
            }
            qrels.Add($"{qid} 0 {docs[0]} 1");
        }
        File.WriteAllLines(dir.File("queries.tsv"), queries);
        File.WriteAllLines(dir.File("collection.tsv"), passages.Select(p => $"{p.Key}\t{p.Value}"));
        File.WriteAllLines(dir.File("qrels.trec"), qrels);
        File.WriteAllLines(dir.File("run.trec"), run);
        return new CrossEncoderTrainingOptions
        {
            ModelDir = Fixtures.TinyCrossEncoder,
            QueriesPath = dir.File("queries.tsv"),
            CollectionPath = dir.File("collection.tsv"),
            QrelsPath = dir.File("qrels.trec"),
            RunPath = dir.File("run.trec"),
            Loss = CrossEncoderLoss.Listwise,
            Negatives = 3,
            Window = new RankWindow(0, 100),
            Dropout = 0,
            MaxLength = golden.GetProperty("max_length").GetInt32(),
            // The golden: AdamW lr 1e-3, constant, no warmup, decay 0.01 (not on biases and LayerNorm), clip 1, both steps on the one batch of two groups.
            Loop = CrossEncoderTrainingOptions.DefaultLoop with
            {
                OutputDir = dir.File("out"),
                BatchSize = 2,
                LearningRate = 1e-3,
                Schedule = LearningRateShape.Constant,
                WarmupRatio = 0,
                WeightDecay = 0.01,
                MaxGradNorm = 1,
                Epochs = 2,
                LogPath = dir.File("out/log.jsonl"),
            },
        };
    }

    private static TrainingSummary Train(CrossEncoderTrainingOptions options, int? interrupt = null)
    {
        using var recipe = new CrossEncoderRecipe(options);
        return Tests.Train.Run(recipe, options.Loop, interrupt);
    }

    [Fact]
    public void TwoListwiseStepsMatchTheGolden()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.TinyCrossEncoder, "golden_listwise_steps.json")));
        using var dir = new TempDirectory();

        Assert.Equal(2, Train(GoldenData(golden.RootElement, dir)).StepsRun);

        var lines = File.ReadAllLines(dir.File("out/log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.TryGetProperty("loss", out _)).ToArray();
        var steps = golden.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(steps.Length, lines.Length);
        for (var i = 0; i < steps.Length; i++)
        {
            Relative.AssertClose(steps[i].GetProperty("loss").GetDouble(), lines[i].GetProperty("loss").GetDouble(), 1e-4, $"step {i + 1} loss");
            Relative.AssertClose(steps[i].GetProperty("grad_norm").GetDouble(), lines[i].GetProperty("grad_norm").GetDouble(), 1e-3, $"step {i + 1} grad norm");
        }
        using var model = CrossEncoderCheckpoint.Load(dir.File("out/model"), out var report);
        Assert.Empty(report.Warnings);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expected = golden.RootElement.GetProperty("parameters_after_step2").EnumerateObject().ToArray();
        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), parameters.Keys.Order(StringComparer.Ordinal));
        foreach (var e in expected)
        {
            using var values = parameters[e.Name].detach().to_type(ScalarType.Float64);
            if (e.Name.EndsWith("attention.self.key.bias", StringComparison.Ordinal))
            {
                // Its gradient is zero in exact arithmetic (softmax ignores a constant added to one
                // query's scores), so Adam turns each implementation's rounding noise into steps of up
                // to lr: only Adam's bound holds, |Δ| ≤ 2 (lr·steps) per element from the start's value.
                using var initial = CrossEncoderCheckpoint.Load(Fixtures.TinyCrossEncoder, out _);
                using var start = initial.named_parameters().First(p => p.name == e.Name).parameter.detach().to_type(ScalarType.Float64);
                Assert.True((values - start).abs().max().item<double>() <= 2 * 1e-3 * 2 + 1e-6, e.Name);
                continue;
            }
            Relative.AssertClose(e.Value.GetProperty("sum").GetDouble(), values.sum().item<double>(), 1e-3, e.Name + " sum");
            Relative.AssertClose(e.Value.GetProperty("l2").GetDouble(), values.norm().item<double>(), 1e-3, e.Name + " l2");
        }
    }

    [Fact]
    public void ResumedRunEndsWithTheWeightsOfAnUninterruptedRun()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.TinyCrossEncoder, "golden_listwise_steps.json")));
        using var dir = new TempDirectory();
        var straight = GoldenData(golden.RootElement, dir) with { Loss = CrossEncoderLoss.Kl, Dropout = 0.1 };
        straight = straight with { Loop = straight.Loop with { Epochs = 3, LogPath = null } };
        var resumed = straight with { Loop = straight.Loop with { OutputDir = dir.File("resumed") } };

        Train(straight);
        Assert.Throws<OperationCanceledException>(() => Train(resumed, interrupt: 1));
        var checkpoint = CheckpointLayout.Checkpoint(resumed.Loop.OutputDir!, 1);
        Assert.Equal(2, Train(resumed with { Loop = resumed.Loop with { ResumeFrom = checkpoint } }).StepsRun);

        using var a = CrossEncoderCheckpoint.Load(dir.File("out/model"), out _);
        using var b = CrossEncoderCheckpoint.Load(dir.File("resumed/model"), out _);
        var after = b.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().data<float>().ToArray());
        using var start = CrossEncoderCheckpoint.Load(Fixtures.TinyCrossEncoder, out _);
        Assert.NotEqual(start.named_parameters().First().parameter.detach().data<float>().ToArray(), after[start.named_parameters().First().name]);
        foreach (var (name, p) in a.named_parameters())
            Assert.True(p.detach().data<float>().ToArray().AsSpan().SequenceEqual(after[name]), $"{name} differs after resume");
    }

    [Fact]
    public void ADistilBertCrossEncoderTrainsAndItsCheckpointReloads()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.TinyCrossEncoder, "golden_listwise_steps.json")));
        using var dir = new TempDirectory();
        // The golden's two groups (a positive and three negatives each), trained on three times: each group's listwise loss must fall.
        var options = GoldenData(golden.RootElement, dir) with { ModelDir = Fixtures.TinyDistilBertCrossEncoder };
        options = options with { Loop = options.Loop with { Epochs = 3, SaveSteps = 2, LogPath = null } };
        Assert.Equal(3, Train(options).StepsRun);

        using var before = CrossEncoder.Load(Fixtures.TinyDistilBertCrossEncoder, new CrossEncoderOptions(options.MaxLength));
        using var after = CrossEncoder.Load(dir.File("out/model"), new CrossEncoderOptions(options.MaxLength));
        Assert.IsType<DistilBertForSequenceClassification>(after.Model);
        using var config = JsonDocument.Parse(File.ReadAllText(dir.File("out/model/config.json")));
        Assert.Equal("DistilBertForSequenceClassification", config.RootElement.GetProperty("architectures")[0].GetString());
        foreach (var group in golden.RootElement.GetProperty("groups").EnumerateArray())
        {
            var query = group.GetProperty("query_text").GetString()!;
            var pairs = group.GetProperty("doc_texts").EnumerateArray().Select(d => new Core.Reranking.QueryPassagePair(query, d.GetString()!)).ToArray();
            var (lossBefore, lossAfter) = (ListwiseLoss(before.Score(pairs)), ListwiseLoss(after.Score(pairs)));
            Assert.True(lossAfter < lossBefore, $"listwise loss {lossBefore} -> {lossAfter}");
        }
        // The loop's intermediate checkpoint reloads without a warning (every key of the architecture is there).
        using var saved = CrossEncoderCheckpoint.Load(Path.Combine(CheckpointLayout.Checkpoint(dir.File("out"), 2), CheckpointLayout.ModelFolder), out var report);
        Assert.Empty(report.Warnings);
    }

    /// <summary>−log softmax(scores)₀: the positive is first.</summary>
    private static double ListwiseLoss(IReadOnlyList<float> scores)
    {
        var max = scores.Max();
        return Math.Log(scores.Sum(s => Math.Exp(s - max))) - (scores[0] - max);
    }

    [Fact]
    public void LossesEqualTheirHandComputedValues()
    {
        // One query, positive logit 2, negative 0; the teacher ties them.
        using var scores = tensor(new[] { 2f, 0f }, [1, 2]);
        using var teacher = tensor(new[] { 1f, 1f }, [1, 2]);
        var log1pExpMinus2 = Math.Log(1 + Math.Exp(-2));

        Relative.AssertClose(log1pExpMinus2, CrossEncoderLosses.Listwise(scores).item<float>(), 1e-6, "listwise");
        Relative.AssertClose((log1pExpMinus2 + Math.Log(2)) / 2, CrossEncoderLosses.Bce(scores).item<float>(), 1e-6, "bce");
        Relative.AssertClose((0.5 * (Math.Log(0.5) + log1pExpMinus2)) + (0.5 * (Math.Log(0.5) + 2 + log1pExpMinus2)), CrossEncoderLosses.Kl(scores, teacher).item<float>(), 1e-5, "kl");
        Relative.AssertClose(4, CrossEncoderLosses.MarginMse(scores, teacher).item<float>(), 1e-6, "margin-mse");
    }
}
