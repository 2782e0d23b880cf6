namespace Disco.Cli.Tests;

/// <summary>
/// Tests that swap the process-wide <see cref="Console.Out"/> or <see cref="Console.Error"/> run
/// alone: any other verb running meanwhile would write into the captured text.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCaptureTests
{
    public const string Name = "console capture";
}
