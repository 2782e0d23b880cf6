using System.CommandLine;
using Disco.Cli.Configuration;
using Disco.Core;

namespace Disco.Cli;

/// <summary>
/// Turns failures into the CLI's contract: one line on stderr, exit 1 for a failure, 2 for bad
/// usage; <c>--verbose</c> adds the stack trace.
/// </summary>
public static class CliErrors
{
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Print stack traces with errors",
        Recursive = true,
    };

    public static int Run(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        CommandConfiguration.AddToAll(root);
        var parse = root.Parse(args);
        var verbose = parse.GetValue(VerboseOption);
        try
        {
            // Options the command line leaves out may come from the verb's configuration.
            parse = CommandConfiguration.Apply(parse, args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                    Console.Error.WriteLine($"error: {error.Message}");
                Console.Error.WriteLine("Run 'disco --help' for usage.");
                return 2;
            }
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (verbose)
                Console.Error.WriteLine(e);
            return 2;
        }
        catch (Exception e) when (e is DiscoException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (verbose)
                Console.Error.WriteLine(e);
            return 1;
        }
    }
}
