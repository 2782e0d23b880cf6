using System.CommandLine;
using Disco.Cli.Configuration;
using Disco.Core;

namespace Disco.Cli;

/// <summary>
/// Turns failures into the CLI's contract: one line on stderr, exit 1 for a failure, 2 for bad
/// usage, 70 for an internal error (a bug: still one line, issue 15); <c>--verbose</c> adds the
/// stack trace.
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
        catch (AggregateException e) when (e.Flatten().InnerExceptions is [var single])
        {
            // Parallel work wraps what one worker threw; report that, as for a single thread.
            return Report(single, verbose);
        }
        catch (Exception e)
        {
            return Report(e, verbose);
        }
    }

    private static int Report(Exception e, bool verbose)
    {
        var code = e switch
        {
            UsageException => 2,
            DiscoException or IOException or UnauthorizedAccessException => 1,
            // A bug, not bad input: still one line (the trace with --verbose), and its own code.
            _ => 70,
        };
        Console.Error.WriteLine(code == 70 ? $"error: internal error ({e.GetType().Name}): {e.Message} (run with --verbose for the stack trace and please report it)" : $"error: {e.Message}");
        if (verbose)
            Console.Error.WriteLine(e);
        return code;
    }
}
