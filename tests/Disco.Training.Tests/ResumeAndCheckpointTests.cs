using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

[Collection(SerialTorchTests.Name)]
public sealed class ResumeAndCheckpointTests
{
    [Fact]
    public void ResumingFromAStepTwoCheckpointEndsWithTheSameWeightsAsAnUninterruptedRun()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        // Batch 1 over 2 queries: 2 steps per epoch, so 4 steps cross an epoch boundary; dropout on,
        // linear schedule with warmup and weight decay, so every piece of state matters.
        string[] Common(string output) =>
        [
            "train", "--queries", data.Queries, "--collection", data.Collection, "--qrels", data.Qrels, "--teacher-run", data.TeacherRun,
            "--query-model", Fixtures.TinySplade, "--out", output, "--negatives", "2", "--rank-window", "0:10",
            "--batch-size", "1", "--lr", "1e-3", "--warmup-steps", "1", "--weight-decay", "0.01", "--dropout", "0.1", "--max-steps", "4",
        ];

        Assert.Equal(0, CliRunner.Run([.. Common(dir.File("straight"))]));
        Assert.Equal(0, CliRunner.Run([.. Common(dir.File("interrupted")), "--save-steps", "2"]));
        var checkpoint = Path.Combine(dir.File("interrupted"), "checkpoint-2");
        Assert.True(File.Exists(Path.Combine(checkpoint, "optimizer.bin")));
        Assert.Equal(0, CliRunner.Run([.. Common(dir.File("resumed")), "--resume", checkpoint]));

        var straight = Parameters(Path.Combine(dir.File("straight"), "model", "query"));
        var resumed = Parameters(Path.Combine(dir.File("resumed"), "model", "query"));
        var afterTwo = Parameters(Path.Combine(checkpoint, "model", "query"));
        Assert.Equal(straight.Keys, resumed.Keys);
        foreach (var (name, values) in straight)
            Assert.True(values.AsSpan().SequenceEqual(resumed[name]), $"{name} differs after resume");
        Assert.False(straight["bert.embeddings.word_embeddings.weight"].AsSpan().SequenceEqual(afterTwo["bert.embeddings.word_embeddings.weight"]));

        var straightLog = File.ReadAllLines(Path.Combine(dir.File("straight"), "log.jsonl"));
        var resumedLog = File.ReadAllLines(Path.Combine(dir.File("resumed"), "log.jsonl"));
        Assert.Equal(2, resumedLog.Length);
        for (var i = 0; i < 2; i++)
            Assert.Equal(Loss(straightLog[i + 2]), Loss(resumedLog[i]));
    }

    [Fact]
    public void SavedCheckpointsReloadAndEncodeIdentically()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        var options = new DiscoTrainingOptions
        {
            QueriesPath = data.Queries,
            CollectionPath = data.Collection,
            QrelsPath = data.Qrels,
            TeacherRunPath = data.TeacherRun,
            QueryModelDir = Fixtures.TinySplade,
            DocumentModelDir = Fixtures.TinySplade,
            OutputDir = dir.File("out"),
            BatchSize = 2,
            Negatives = 3,
            Window = new RankWindow(0, 1000),
            LearningRate = 1e-3,
            MaxSteps = 2,
            Dropout = 0,
        };
        string[] texts = [.. golden.RootElement.GetProperty("batch").EnumerateArray().Select(b => b.GetProperty("query").GetString()!)];
        using var trainer = new DiscoTrainer(options);
        trainer.Run();
        float[] inMemory;
        using (no_grad())
        {
            trainer.QueryEncoder.Model.eval();
            inMemory = trainer.QueryEncoder.Represent(texts).data<float>().ToArray();
        }

        var tokenizer = WordPieceTokenizer.FromDirectory(Path.Combine(dir.File("out"), "model", "query"));
        using var reloaded = HfCheckpoint.Load(Path.Combine(dir.File("out"), "model", "query"), out _, null);
        using var original = HfCheckpoint.Load(Fixtures.TinySplade, out _, null);
        using var savedDocuments = HfCheckpoint.Load(Path.Combine(dir.File("out"), "model"), out _, null);
        using (no_grad())
        {
            var fromDisk = new RepresentationEncoder(reloaded, tokenizer, 256, CPU).Represent(texts).data<float>().ToArray();
            Assert.Equal(inMemory, fromDisk);
            // The frozen document encoder is saved unchanged.
            var before = new RepresentationEncoder(original, tokenizer, 256, CPU).Represent(texts).data<float>().ToArray();
            var after = new RepresentationEncoder(savedDocuments, tokenizer, 256, CPU).Represent(texts).data<float>().ToArray();
            Assert.Equal(before, after);
            Assert.NotEqual(before, fromDisk);
        }
        var state = TrainerState.Read(Path.Combine(dir.File("out"), "checkpoint-2"));
        Assert.Equal(2, state.Step);
    }

    private static Dictionary<string, float[]> Parameters(string modelDir)
    {
        using var model = HfCheckpoint.Load(modelDir, out _, null);
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().data<float>().ToArray());
    }

    private static double Loss(string line) => JsonDocument.Parse(line).RootElement.GetProperty("loss").GetDouble();
}
