using System.Diagnostics;
using Disco.TestSupport;

namespace Disco.Library.Tests;

/// <summary>Runs a .NET program in its own process, as a user would, with the HuggingFace cache pointed at fixtures.</summary>
internal static class ExampleRunner
{
    /// <summary>A HuggingFace cache in which both DiSCo ids hold the tiny fixture checkpoint.</summary>
    public static string FakeHub(string directory)
    {
        FakeHubCache.Add(directory, "naver/splade-cocondenser-ensembledistil", Fixtures.TinySplade);
        FakeHubCache.Add(directory, "slupart/splade-disco-topiocqa-mistral", Fixtures.TinySplade);
        return directory;
    }

    /// <summary>The quickstart sample (collection.tsv, conversations.jsonl, qrels.trec) copied into <paramref name="directory"/>.</summary>
    public static string SampleData(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Path.Combine(Fixtures.RepoRoot, "src", "Disco.Cli", "Samples")))
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        return directory;
    }

    public static (int ExitCode, string Output, string Error) Run(string fileName, IEnumerable<string> arguments, string workingDirectory, string hubCache, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment["HF_HUB_CACHE"] = hubCache;
        start.Environment["HF_HUB_OFFLINE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} ran past {timeout}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
