using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Disco.Cli.Commands;

namespace Disco.Cli.Tests;

/// <summary>Runs verbs in-process through the CLI's error contract (exit 0, 1 or 2), as Program.cs does.</summary>
internal static class CommandRunner
{
    public static int Run(Command verb, params string[] args)
    {
        var root = new RootCommand();
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(verb);
        return CliErrors.Run(root, args);
    }

    /// <summary>`disco evaluate` on a run: measure → value over all queries, from trec_eval's text layout.</summary>
    public static Dictionary<string, double> Evaluate(string qrels, string run, params string[] measures)
    {
        var output = Path.Combine(Path.GetDirectoryName(run)!, "evaluate.txt");
        Assert.Equal(0, Run(EvaluateCommand.Create(), ["evaluate", "--qrels", qrels, "--run", run, .. measures.SelectMany(m => new[] { "-m", m }), "--out", output]));
        // trec_eval lines: measure, "all", value (whitespace-separated).
        return File.ReadLines(output).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 3 && f[1] == "all").ToDictionary(f => f[0], f => double.Parse(f[2], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Runs the disco executable in a child process from the repository root with one environment
    /// variable set (SPLADE_CONFIG_NAME and SPLADE_CONFIG_FULLPATH otherwise unset), as a user's shell would.
    /// </summary>
    public static (int Code, string Out, string Err) RunProcess(string variable, string value, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Disco.TestSupport.Fixtures.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(AllCommand).Assembly.Location);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment.Remove("SPLADE_CONFIG_NAME");
        start.Environment.Remove("SPLADE_CONFIG_FULLPATH");
        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
