using System.CommandLine;
using Disco.Cli;
using Disco.Cli.Commands;

namespace Disco.Training.Tests;

/// <summary>Runs `disco` verbs in-process, as the CLI would.</summary>
internal static class CliRunner
{
    private static readonly Lock Gate = new();

    public static int Run(params string[] args)
    {
        var root = new RootCommand("disco");
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(TeacherCommand.Create());
        // System.CommandLine writes to the process console; serialise runs so outputs do not interleave.
        lock (Gate)
            return CliErrors.Run(root, args);
    }
}
