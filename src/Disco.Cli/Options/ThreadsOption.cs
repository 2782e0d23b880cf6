using System.CommandLine;
using Disco.Modeling;

namespace Disco.Cli.Options;

/// <summary>
/// <c>--threads N</c>: the cores a verb uses, for its own parallel work (search) and for libtorch,
/// whose thread count is a process setting the CLI makes once.
/// </summary>
internal static class ThreadsOption
{
    public static Option<int?> Create() => new("--threads") { Description = "Cores to use: search threads and encoder threads, libtorch and ONNX Runtime (default: all cores)" };

    /// <summary>
    /// Applies the value to libtorch when given; returns the thread count for the verb's own work.
    /// Unset, libtorch is not touched here (an ONNX model never loads it): the library applies the
    /// same default when it loads a TorchSharp model (<see cref="TorchThreads.EnsureConfigured"/>).
    /// </summary>
    public static int Apply(ParseResult parse, Option<int?> option)
    {
        var threads = Count(parse, option);
        if (parse.GetValue(option) is not null)
            TorchThreads.Set(threads);
        return threads;
    }

    /// <summary>
    /// The thread count for the verb's own work, without touching libtorch: a verb that may need no
    /// encoder (search over query vectors) calls <see cref="Apply"/> only once it loads one, since
    /// setting libtorch's threads loads libtorch (about a second of the job, and more at exit).
    /// </summary>
    public static int Count(ParseResult parse, Option<int?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(option) is not int threads)
            return Core.Vectors.EncoderDefaults.Threads;
        if (threads < 1)
            throw new UsageException("--threads must be at least 1");
        return threads;
    }
}
