using System.Globalization;
using BenchmarkDotNet.Attributes;
using Disco.Core.Runs;

namespace Disco.Benchmarks.Evaluation;

/// <summary>
/// Reading a TREC run of 2M lines (2000 queries × 1000): Disco's byte-level reader against File.ReadLines +
/// string.Split + double.Parse into the same dictionaries.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ReadRunBenchmarks
{
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"disco-bench-run-{Environment.ProcessId}.txt");
        var (_, run) = SyntheticRuns.Create(2000, depth: 1000);
        using var w = new StreamWriter(_path);
        foreach (var (qid, docs) in run)
        {
            var rank = 1;
            foreach (var (doc, score) in docs.OrderByDescending(p => p.Value))
                w.Write($"{qid} Q0 {doc} {rank++} {score.ToString(CultureInfo.InvariantCulture)} bench\n");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true)]
    public int SplitLines()
    {
        var run = new Dictionary<string, Dictionary<string, double>>();
        foreach (var line in File.ReadLines(_path))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!run.TryGetValue(f[0], out var docs))
                run[f[0]] = docs = [];
            docs[f[2]] = double.Parse(f[4], CultureInfo.InvariantCulture);
        }
        return run.Count;
    }

    [Benchmark]
    public int Disco() => Run.Read(_path).Count;
}
