using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Disco.Benchmarks.Tokenization;

/// <summary>
/// A short job (10 iterations, as the machine is shared and 3 are too noisy) built with ICU
/// globalization. The repository builds with InvariantGlobalization, under which string.Normalize is a
/// no-op; both peers rely on it for accent stripping, so they get ICU here to be measured (and their
/// parity counted) at their best. Disco's tokenizer carries its own tables and behaves the same either way.
/// </summary>
public sealed class TokenizerBenchmarkConfig : ManualConfig
{
    public TokenizerBenchmarkConfig() =>
        AddJob(Job.ShortRun.WithIterationCount(10).WithArguments([new MsBuildArgument("/p:InvariantGlobalization=false")]).AsDefault());
}
