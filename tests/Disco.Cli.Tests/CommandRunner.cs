using System.CommandLine;
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
}
