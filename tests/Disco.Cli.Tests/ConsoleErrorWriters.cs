namespace Disco.Cli.Tests;

/// <summary>
/// Tests whose commands fail on purpose print "error: ..." lines on the process-wide stderr;
/// QuickstartCommandTests captures that stderr, so these run alone, never beside it.
/// </summary>
[CollectionDefinition(nameof(ConsoleErrorWriters), DisableParallelization = true)]
public sealed class ConsoleErrorWriters;
