namespace Disco.Cli.Tests;

/// <summary>
/// Tests that compare vectors or trained weights bit for bit across two runs, or read libtorch's
/// thread count back, run alone: every other verb run in this process sets libtorch's process-wide
/// thread count (<c>--threads</c> or its default), the encoders apply it to the thread that runs
/// them before each forward pass, and float sums depend on it. A training run beside another verb
/// could switch counts mid-run: a resumed model unequal to the killed child's, or
/// <c>torch_threads</c> recorded as the other verb's count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchTests
{
    public const string Name = "serial libtorch";
}
