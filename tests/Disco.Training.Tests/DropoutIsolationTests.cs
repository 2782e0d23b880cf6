using System.Text.Json;
using Disco.Modeling;
using Disco.TestSupport;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

/// <summary>
/// A training run's dropout is its own: another thread of the process reseeding and drawing from
/// libtorch's default generator the whole time (a second training run, a host's own torch code)
/// leaves the run's weights bit for bit what they are alone. Before each run drew from the
/// process-wide generator, a neighbour between a step's seeding and its dropout changed the masks,
/// which is how `TrainCrashTests` failed under load: its in-process resume ran beside the other
/// training tests of its assembly.
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class DropoutIsolationTests
{
    [Fact]
    public void A_neighbour_using_torchs_default_generator_does_not_change_a_training_run()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Fixtures.Golden("golden_disco_steps.json")));
        using var dir = new TempDirectory();
        var data = GoldenTrainingData.Write(golden.RootElement, dir);
        var loop = DiscoTrainingOptions.DefaultLoop with { BatchSize = 1, LearningRate = 1e-3, WarmupSteps = 0, MaxSteps = 2 };
        DiscoTrainingOptions Options(string output) =>
            data.Disco(loop with { OutputDir = output }) with { Negatives = 2, Window = new RankWindow(0, 10), Dropout = 0.1 };

        Train.Disco(Options(dir.File("alone")));
        using (var neighbour = new Neighbour())
            Train.Disco(Options(dir.File("beside")));

        var alone = ResumeAndCheckpointTests.Parameters(Path.Combine(dir.File("alone"), "model", "query"));
        var beside = ResumeAndCheckpointTests.Parameters(Path.Combine(dir.File("beside"), "model", "query"));
        Assert.Equal(alone.Keys, beside.Keys);
        foreach (var (name, values) in alone)
            Assert.True(values.AsSpan().SequenceEqual(beside[name]), $"{name} differs when another thread uses torch's default generator");
    }

    [Fact]
    public void Dropout_draws_from_the_generator_in_use_and_is_torchs_inverted_dropout()
    {
        using var input = ones(64, 64);
        using var generator = new Generator(0, CPU);
        Tensor Draw()
        {
            generator.manual_seed(42);
            using var _ = DropoutRandom.Use(generator);
            manual_seed(7); // the default generator's state plays no part
            var first = DropoutRandom.Apply(input, 0.25, training: true);
            manual_seed(8);
            return first;
        }

        using var a = Draw();
        using var b = Draw();
        Assert.True(a.eq(b).all().item<bool>());
        // Kept elements scaled by 1/(1-p), the rest zero; about p of them zeroed.
        var values = a.data<float>().ToArray();
        Assert.All(values, v => Assert.True(v == 0f || Math.Abs(v - (1 / 0.75f)) < 1e-6, $"{v}"));
        var zeroed = values.Count(v => v == 0f) / (double)values.Length;
        Assert.InRange(zeroed, 0.2, 0.3);
        Assert.False(DropoutRandom.HasGenerator);
        using var inference = DropoutRandom.Apply(input, 0.25, training: false);
        Assert.True(inference.eq(input).all().item<bool>());
    }

    /// <summary>Reseeds and draws from libtorch's default generator on another thread until disposed.</summary>
    private sealed class Neighbour : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;

        public Neighbour()
        {
            _thread = new Thread(() =>
            {
                var seed = 0L;
                while (!_stop.IsCancellationRequested)
                {
                    manual_seed(seed++);
                    using var drawn = rand(256);
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join();
            _stop.Dispose();
        }
    }
}
