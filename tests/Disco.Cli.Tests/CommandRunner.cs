using System.CommandLine;

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
}
