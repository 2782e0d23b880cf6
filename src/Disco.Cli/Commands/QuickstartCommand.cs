using System.CommandLine;

namespace Disco.Cli.Commands;

/// <summary>`disco quickstart`: until the pipeline exists it lists the available verbs.</summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var command = new Command("quickstart", "Index a sample collection, answer a conversation and evaluate");
        command.SetAction(_ =>
        {
            Console.WriteLine("disco verbs: quickstart (more arrive with each component). Run 'disco --help'.");
            return 0;
        });
        return command;
    }
}
