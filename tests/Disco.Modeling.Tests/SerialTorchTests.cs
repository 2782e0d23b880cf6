namespace Disco.Modeling.Tests;

/// <summary>
/// Tests that change libtorch's process-wide thread count run alone: any encoder running meanwhile
/// would pick up their count and the encoders' tests would see it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchTests
{
    public const string Name = "serial libtorch";
}
