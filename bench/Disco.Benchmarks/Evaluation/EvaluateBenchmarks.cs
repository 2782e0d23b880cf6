using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Disco.Evaluation;

namespace Disco.Benchmarks.Evaluation;

/// <summary>
/// Evaluating 100k queries × 1000 results in memory (map, recip_rank, P.10, recall.100,1000, ndcg_cut.10):
/// Disco's Evaluator against a straightforward LINQ evaluation (no trec_eval or pytrec_eval on this machine).
/// Monitoring strategy: each operation takes seconds, so no pilot stage is needed.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class EvaluateBenchmarks
{
    private Dictionary<string, IReadOnlyDictionary<string, int>> _qrels = null!;
    private Dictionary<string, IReadOnlyDictionary<string, double>> _run = null!;
    private readonly MeasureSet _measures = MeasureSet.Parse(["map", "recip_rank", "P.10", "recall.100,1000", "ndcg_cut.10"]);

    [Params(100_000)]
    public int Queries { get; set; }

    [GlobalSetup]
    public void Setup() => (_qrels, _run) = SyntheticRuns.Create(Queries, depth: 1000);

    [Benchmark(Baseline = true)]
    public double Linq() => LinqEvaluator.Evaluate(_qrels, _run)["map"];

    [Benchmark]
    public double Disco() => Evaluator.Evaluate(_qrels, _run, _measures)["map"];
}
