using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

public sealed class ValidationTests
{
    [Fact]
    public void ValidationReRanksTheDevCandidatesAndKeepsTheBestCheckpoint()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        var output = dir.File("out");
        var loop = DiscoTrainingOptions.DefaultLoop with
        {
            OutputDir = output,
            BatchSize = 2,
            LearningRate = 1e-3,
            WarmupRatio = 0,
            MaxSteps = 2,
        };
        Train.Disco(data.Disco(data.Validating(loop)) with { Negatives = 3, Window = new RankWindow(0, 10), Dropout = 0 });

        var validations = File.ReadLines(Path.Combine(output, "log.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("event", out var ev) && ev.GetString() == "validation").ToArray();
        Assert.Equal(2, validations.Length);   // one per epoch (1 step each)
        var state = TrainerState.Read(Path.Combine(output, "best"));
        var best = validations.Single(v => v.GetProperty("step").GetInt64() == state.BestStep);
        Assert.Equal(validations.Max(v => v.GetProperty("mrr_10").GetDouble()), best.GetProperty("mrr_10").GetDouble());

        // Independent check: MRR@10 of the best query encoder over each query's four candidates.
        Assert.Equal(ReciprocalRankMean(Path.Combine(output, "best", "model", "query"), golden.RootElement), best.GetProperty("mrr_10").GetDouble(), 6);
        Assert.Equal(2, best.GetProperty("queries").GetInt32());
    }

    private static double ReciprocalRankMean(string queryModelDir, JsonElement golden)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var queryModel = HfCheckpoint.Load(queryModelDir, out _, null);
        using var docModel = HfCheckpoint.Load(Fixtures.TinySplade, out _, null);
        var tokenizer = WordPieceTokenizer.FromDirectory(Fixtures.TinySplade);
        var total = 0.0;
        var items = golden.GetProperty("batch").EnumerateArray().ToArray();
        foreach (var item in items)
        {
            var q = new RepresentationEncoder(queryModel, tokenizer, 256, CPU).Represent([item.GetProperty("query").GetString()!]);
            var docs = item.GetProperty("docs").EnumerateArray().Select(d => d.GetString()!).ToArray();
            var scores = docs.Select(d => new RepresentationEncoder(docModel, tokenizer, 256, CPU).Represent([d]).mul(q).sum().item<float>()).ToArray();
            // Document 0 is the relevant one; ties are broken by id, and ids q{i}d0 sort first.
            var rank = 1 + scores.Skip(1).Count(s => s > scores[0]);
            total += 1.0 / rank;
        }
        return total / items.Length;
    }
}
