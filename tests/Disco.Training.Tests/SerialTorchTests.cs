namespace Disco.Training.Tests;

/// <summary>
/// Tests that compare weights bit for bit run alone: libtorch runs an operation on one thread when
/// another test is already inside a parallel region, which changes float summation order and so
/// the last bits of the result (seen as a rare resume-test failure under load).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchTests
{
    public const string Name = "serial libtorch";
}
