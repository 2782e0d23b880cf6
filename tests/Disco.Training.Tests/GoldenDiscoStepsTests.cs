using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

/// <summary>
/// The two DiSCo steps of golden_disco_steps.json, made by an independent PyTorch implementation,
/// reproduced by the DiSCo recipe in the shared training loop.
/// </summary>
public sealed class GoldenDiscoStepsTests
{
    [Fact]
    public void TwoStepsMatchTheGolden()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);

        var loop = DiscoTrainingOptions.DefaultLoop with
        {
            OutputDir = dir.File("out"),
            BatchSize = 2,
            LearningRate = 1e-3,
            Schedule = LearningRateShape.Constant,
            WarmupRatio = 0,
            WeightDecay = 0,
            MaxSteps = 2,
            LogPath = dir.File("log.jsonl"),
        };
        Train.Disco(data.Disco(loop) with { DocumentModelDir = Fixtures.TinySplade, Negatives = 3, Window = new RankWindow(0, 1000), Dropout = 0 });

        var lines = File.ReadAllLines(dir.File("log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var steps = golden.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(steps.Length, lines.Length);
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.Equal(i + 1, lines[i].GetProperty("step").GetInt64());
            foreach (var name in new[] { "loss", "kl", "ce", "anti_zero" })
                Relative.AssertClose(steps[i].GetProperty(name).GetDouble(), lines[i].GetProperty(name).GetDouble(), 1e-4, $"step {i + 1} {name}");
            Relative.AssertClose(steps[i].GetProperty("grad_norm_before_clip").GetDouble(), lines[i].GetProperty("grad_norm").GetDouble(), 1e-3, $"step {i + 1} grad norm");
        }

        using var model = HfCheckpoint.Load(Path.Combine(dir.File("out"), "model", "query"), out _, null);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var checkedCount = 0;
        foreach (var expected in golden.RootElement.GetProperty("query_encoder_after_step2").EnumerateObject())
        {
            // HF's BertForMaskedLM has no pooler; the golden's reference model carries an unused one.
            if (expected.Name.StartsWith("bert.pooler.", StringComparison.Ordinal))
                continue;
            checkedCount++;
            using var values = parameters[expected.Name].detach().to_type(ScalarType.Float64);
            Relative.AssertClose(expected.Value.GetProperty("sum").GetDouble(), values.sum().item<double>(), 1e-3, expected.Name + " sum");
            Relative.AssertClose(expected.Value.GetProperty("l2").GetDouble(), values.norm().item<double>(), 1e-3, expected.Name + " l2");
        }
        Assert.Equal(parameters.Count, checkedCount);
    }
}
