using System.Diagnostics;
using System.Security.Cryptography;
using Disco.Cli.Commands;
using Disco.Core;
using Disco.Core.IO;
using Disco.Retrieval;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>
/// `disco train` killed (SIGKILL, a real child process) at each named point of the final save
/// (<see cref="FaultPoint"/>): the output is the complete earlier model or the complete new one,
/// a query encoder is never taken from a half-written folder, and the next run cleans up.
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class TrainCrashTests
{
    [Fact]
    public void KillingTrainDuringTheFinalSaveLeavesTheOldOrTheNewModelNeverAHalfOne()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        var model = Path.Combine(output, DiscoModelLayout.ModelFolder);
        string[] common = [
            "train", "disco", .. TrainCommandTests.TinyDiscoInputs(dir), "--query-model", Fixtures.TinySplade, "--out", output,
            "--negatives", "3", "--rank-window", "0:10", "--batch-size", "2", "--grad-accum", "1", "--max-length", "32", "--lr-schedule", "constant", "--lr", "0.01", "--warmup-steps", "0",
            // Float sums depend on libtorch's thread count, a process setting that other tests of this
            // process change: the same explicit count in-process and in the killed children.
            "--threads", "2"];
        string[] resume = [.. common, "--max-steps", "2", "--resume", Path.Combine(output, "checkpoint-1")];

        Assert.Equal(0, CommandRunner.Run(TrainCommand.Create(), [.. common, "--max-steps", "1"]));
        var previous = Snapshot(model);
        AssertQueryEncoderIsTheTrainedOne(model);

        // Inside the temporary folder (models written, marker not yet) and with the new folder
        // complete beside the old one: the old model is untouched.
        KillAt("model:unmarked", resume);
        Assert.Equal(previous, Snapshot(model));
        KillAt("model:written", resume);
        Assert.Equal(previous, Snapshot(model));
        AssertQueryEncoderIsTheTrainedOne(model);

        // After the swap, before the old folder is deleted: the complete new model.
        KillAt("model:swapped", resume);
        var next = Snapshot(model);
        Assert.NotEqual(previous, next);
        AssertQueryEncoderIsTheTrainedOne(model);

        // Between the two renames: no model, and loading says where the complete one is.
        KillAt("model:moved-aside", resume);
        Assert.False(Directory.Exists(model));
        var error = Assert.Throws<DiscoException>(() => new ModelLoader().Locate(model, EncoderRole.Query));
        Assert.Contains("rename it to model", error.Message, StringComparison.Ordinal);
        var complete = error.Message.Split("; ")[1].Split(' ')[0];
        Directory.Move(complete, model);
        // Resume is bit-exact, so every complete step-2 save is the same model.
        Assert.Equal(next, Snapshot(model));
        AssertQueryEncoderIsTheTrainedOne(model);

        // The next successful run removes every leftover of the interrupted ones.
        Assert.NotEmpty(AtomicDirectory.Leftovers(model));
        Assert.Equal(0, CommandRunner.Run(TrainCommand.Create(), resume));
        Assert.Equal(next, Snapshot(model));
        Assert.Empty(AtomicDirectory.Leftovers(model));
        Assert.DoesNotContain(Directory.GetDirectories(output), d => d.Contains(AtomicDirectory.TempInfix, StringComparison.Ordinal) || d.Contains(AtomicDirectory.OldInfix, StringComparison.Ordinal));

        // A training output's model folder that lost its query encoder, or never got its marker, is refused for queries.
        var damaged = dir.File("damaged");
        Directory.CreateDirectory(damaged);
        File.Copy(Path.Combine(output, DiscoModelLayout.ArgumentsFile), Path.Combine(damaged, DiscoModelLayout.ArgumentsFile));
        var half = Path.Combine(damaged, DiscoModelLayout.ModelFolder);
        Directory.CreateDirectory(half);
        foreach (var file in Directory.GetFiles(model))
            File.Copy(file, Path.Combine(half, Path.GetFileName(file)));
        Assert.Throws<DiscoException>(() => new ModelLoader().Locate(half, EncoderRole.Query));
        File.Delete(Path.Combine(half, DiscoModelLayout.CompleteFile));
        Assert.Throws<DiscoException>(() => new ModelLoader().Locate(half, EncoderRole.Query));
        Directory.CreateDirectory(Path.Combine(half, DiscoModelLayout.QueryFolder));
        Assert.Throws<DiscoException>(() => new ModelLoader().Locate(half, EncoderRole.Query));
        Assert.Equal(half, new ModelLoader().Locate(half, EncoderRole.Document));
    }

    private static void AssertQueryEncoderIsTheTrainedOne(string model)
    {
        var query = Path.Combine(model, DiscoModelLayout.QueryFolder);
        Assert.Equal(query, new ModelLoader().Locate(model, EncoderRole.Query));
        // The trained query encoder differs from the frozen document encoder it started from.
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(model, "model.safetensors")), File.ReadAllBytes(Path.Combine(query, "model.safetensors")));
    }

    /// <summary>Relative path → SHA-256 of every file under <paramref name="directory"/>.</summary>
    private static string Snapshot(string directory) => string.Join("\n", Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(directory, f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))))
        .Order(StringComparer.Ordinal));

    /// <summary>Runs disco in a child process until it reaches <paramref name="point"/>, then kills it (SIGKILL).</summary>
    private static void KillAt(string point, string[] args)
    {
        using var dir = new TempDirectory();
        var signal = dir.File("paused");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Fixtures.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(AllCommand).Assembly.Location);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment[FaultPoint.PauseVariable] = point;
        start.Environment[FaultPoint.SignalVariable] = signal;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(signal) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
            Thread.Sleep(20);
        var paused = File.Exists(signal);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        Assert.True(paused, $"train did not reach {point} (exit {(process.HasExited ? process.ExitCode : -1)}): {stderr.Result}");
    }
}
