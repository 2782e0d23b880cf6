namespace Disco.Cli.Tests;

/// <summary>
/// Tests that compare vectors bit for bit across two encoder calls run alone: the other verbs'
/// <c>--threads</c> change libtorch's process-wide thread count, and float sums depend on it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchTests
{
    public const string Name = "serial libtorch";
}
