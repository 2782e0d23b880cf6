using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Disco.Index;
using Disco.Index.Bench;

// Index benchmark against SPLADE's numba reference; bench/index/run.sh drives the whole comparison.
//   generate DIR DOCS QUERIES SEED   synthetic SPLADE-like collection (CSR files)
//   build DIR [float32|uint8|uint16]  index DIR/docs into DIR/index-<impacts>; time and peak memory
//   search DIR [float32|uint8|uint16] latency (1 thread) and throughput (2 threads), both algorithms, k=10 and 1000
//   report DIR                        markdown table from the JSON results of both systems
var verb = args.Length > 0 ? args[0] : "";
var json = new JsonSerializerOptions { WriteIndented = true };
switch (verb)
{
    case "generate":
        {
            var dir = args[1];
            Directory.CreateDirectory(dir);
            var docs = int.Parse(args[2], CultureInfo.InvariantCulture);
            var queries = int.Parse(args[3], CultureInfo.InvariantCulture);
            var seed = int.Parse(args[4], CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            var generator = new SyntheticCollection(seed);
            generator.Write(Path.Combine(dir, "docs"), docs, 100, 250, -0.9, 0.6);
            generator.Write(Path.Combine(dir, "queries"), queries, 20, 60, -0.6, 0.7);
            Console.Error.WriteLine($"generated {docs} documents and {queries} queries (seed {seed}) in {clock.Elapsed.TotalSeconds:F1}s");
            break;
        }
    case "build":
        {
            var dir = args[1];
            var impacts = args.Length > 2 ? args[2] : "float32";
            var encoding = ImpactEncodingNames.Parse(impacts) ?? throw new ArgumentException($"impacts: {ImpactEncodingNames.Choices}");
            var target = Path.Combine(dir, $"index-{impacts}");
            var clock = Stopwatch.StartNew();
            IndexMetadata meta;
            using (var builder = new IndexBuilder(target, new IndexBuildOptions(encoding)))
            {
                var vocabulary = CsrFile.VocabularyStrings;
                var i = 0;
                foreach (var v in CsrFile.Read(Path.Combine(dir, "docs")))
                    builder.Add((i++).ToString(CultureInfo.InvariantCulture), v, vocabulary);
                meta = builder.Complete();
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var postingBytes = meta.Files["postings.bin"].Bytes + meta.Files["blocks.bin"].Bytes;
            var result = new Dictionary<string, object>
            {
                ["impacts"] = impacts,
                ["documents"] = meta.Documents,
                ["postings"] = meta.Postings,
                ["buildSeconds"] = seconds,
                ["peakMemoryMB"] = PeakMemoryMB(),
                ["indexBytes"] = meta.Files.Values.Sum(f => f.Bytes),
                ["bytesPerPosting"] = (double)postingBytes / meta.Postings,
            };
            File.WriteAllText(Path.Combine(dir, $"results-build-{impacts}.json"), JsonSerializer.Serialize(result, json));
            Console.WriteLine(JsonSerializer.Serialize(result, json));
            break;
        }
    case "search":
        {
            var dir = args[1];
            var impacts = args.Length > 2 ? args[2] : "float32";
            // VERIFY=1 checks every byte when opening (search --verify); the open time is reported either way.
            var opening = Stopwatch.StartNew();
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{impacts}"), Environment.GetEnvironmentVariable("VERIFY") == "1");
            Console.Error.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["openMs"] = opening.Elapsed.TotalMilliseconds }));
            var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v)).ToList();
            var searcher = new IndexSearcher(index);
            var results = new List<Dictionary<string, object>>();
            // QUICK=1 (for development): term-at-a-time only, no peer comparison.
            var quick = Environment.GetEnvironmentVariable("QUICK") != null;
            var cpuTime = Environment.GetEnvironmentVariable("CPUTIME") == "1";
            const int Passes = 3;
            foreach (var k in new[] { 10, 1000 })
            {
                foreach (var algorithm in quick ? new[] { SearchAlgorithm.TermAtATime } : new[] { SearchAlgorithm.MaxScore, SearchAlgorithm.TermAtATime })
                {
                    searcher.SearchBatch(queries, k, algorithm, threads: 2);
                    var latencies = new double[queries.Count];
                    // Latency per query is its fastest of Passes passes and throughput the fastest
                    // batch, as on the peer's side (bench/peers/splade_numba.py).
                    for (var pass = 0; pass < Passes; pass++)
                    {
                        for (var i = 0; i < queries.Count; i++)
                        {
                            // CPUTIME=1: the thread's CPU time instead of wall time (for A/B runs on a loaded machine).
                            var cpu0 = cpuTime ? ThreadCpuClock.NowMs() : 0;
                            var t = Stopwatch.GetTimestamp();
                            searcher.Search(queries[i], k, algorithm);
                            var ms = cpuTime ? ThreadCpuClock.NowMs() - cpu0 : Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                            latencies[i] = pass == 0 ? ms : Math.Min(ms, latencies[i]);
                        }
                    }
                    var batchSeconds = double.MaxValue;
                    for (var pass = 0; pass < Passes; pass++)
                    {
                        var clock = Stopwatch.StartNew();
                        searcher.SearchBatch(queries, k, algorithm, threads: 2);
                        batchSeconds = Math.Min(batchSeconds, clock.Elapsed.TotalSeconds);
                    }
                    Array.Sort(latencies);
                    var row = new Dictionary<string, object>
                    {
                        ["system"] = $"disco {algorithm} {impacts}",
                        ["k"] = k,
                        ["queries"] = queries.Count,
                        ["meanMs"] = latencies.Average(),
                        ["p50Ms"] = Percentile(latencies, 0.50),
                        ["p99Ms"] = Percentile(latencies, 0.99),
                        ["qps2Threads"] = queries.Count / batchSeconds,
                    };
                    results.Add(row);
                    Console.Error.WriteLine(JsonSerializer.Serialize(row));
                }
            }
            if (quick)
                break;
            var agreement = ComparePeer(dir, index, searcher, queries);
            File.WriteAllText(Path.Combine(dir, $"results-search-{impacts}.json"), JsonSerializer.Serialize(new { results, agreement }, json));
            break;
        }
    case "report":
        Report.Write(args[1]);
        break;
    default:
        Console.Error.WriteLine("usage: generate DIR DOCS QUERIES SEED | build DIR [impacts] | search DIR [impacts] | report DIR");
        return 2;
}
return 0;

static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

static double PeakMemoryMB()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
    return double.NaN;
}

// The peer's top 10 (doc, score) per query, written by bench/peers/splade_numba.py; rankings must
// agree except where scores differ by less than 1e-4 (summation order differs between systems).
static string ComparePeer(string dir, SparseIndex index, IndexSearcher searcher, List<SearchQuery> queries)
{
    var path = Path.Combine(dir, "numba-top10.json");
    if (!File.Exists(path))
        return "no peer results";
    var peer = JsonSerializer.Deserialize<List<List<double[]>>>(File.ReadAllText(path))!;
    int identical = 0, tiesOnly = 0, differ = 0;
    for (var q = 0; q < queries.Count; q++)
    {
        var ours = searcher.Search(queries[q], 10, SearchAlgorithm.TermAtATime);
        var theirs = peer[q];
        var same = ours.Length == theirs.Count && ours.Select((h, i) => index.DocumentId(h.Doc) == ((long)theirs[i][0]).ToString(CultureInfo.InvariantCulture)).All(b => b);
        var close = ours.Length == theirs.Count && ours.Select((h, i) => Math.Abs(h.Score - theirs[i][1]) < 1e-4).All(b => b);
        if (same && close)
            identical++;
        else if (close)
            tiesOnly++;
        else
            differ++;
    }
    return $"top-10 vs numba: {identical} identical, {tiesOnly} differ only among scores within 1e-4, {differ} differ";
}
