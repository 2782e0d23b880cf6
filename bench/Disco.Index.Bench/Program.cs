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
            // generate DIR DOCS QUERIES SEED [TOPICS]: i.i.d. collection, or topically clustered with TOPICS > 0.
            var dir = args[1];
            Directory.CreateDirectory(dir);
            var docs = int.Parse(args[2], CultureInfo.InvariantCulture);
            var queries = int.Parse(args[3], CultureInfo.InvariantCulture);
            var seed = int.Parse(args[4], CultureInfo.InvariantCulture);
            var topics = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 0;
            var clock = Stopwatch.StartNew();
            var generator = topics > 0 ? new ClusteredCollection(seed, topics) : new SyntheticCollection(seed);
            generator.Write(Path.Combine(dir, "docs"), docs, query: false);
            generator.Write(Path.Combine(dir, "queries"), queries, query: true);
            Console.Error.WriteLine($"generated {docs} documents and {queries} queries (seed {seed}, topics {topics}) in {clock.Elapsed.TotalSeconds:F1}s");
            break;
        }
    case "build":
        {
            // build DIR NAME [float32|uint16|uint8] [clustered] [ann]: index DIR/docs into DIR/index-NAME.
            var dir = args[1];
            var name = args[2];
            var impacts = args.Length > 3 ? args[3] : "float32";
            var encoding = ImpactEncodingNames.Parse(impacts) ?? throw new ArgumentException($"impacts: {ImpactEncodingNames.Choices}");
            var options = new IndexBuildOptions(encoding)
            {
                Order = args.Contains("clustered") ? DocumentOrder.Clustered : DocumentOrder.Input,
                Ann = args.FirstOrDefault(a => a.StartsWith("ann", StringComparison.Ordinal)) is string a
                    ? new AnnBuildOptions(a.Length > 3 ? int.Parse(a[3..], CultureInfo.InvariantCulture) : AnnBuildOptions.DefaultListSize)
                    : null,
            };
            var target = Path.Combine(dir, $"index-{name}");
            var clock = Stopwatch.StartNew();
            IndexMetadata meta;
            using (var builder = new IndexBuilder(target, options))
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
            File.WriteAllText(Path.Combine(dir, $"results-build-{name}.json"), JsonSerializer.Serialize(result, json));
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
    case "sweep":
        {
            // sweep DIR NAME [K...]: exact algorithms and approximate operating points: mean latency (each query's
            // fastest of 2 passes), mean CPU time per query, recall@k against exact.
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var vocabulary = CsrFile.VocabularyStrings;
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(index, $"q{i}", v, vocabulary)).ToList();
            var searcher = new IndexSearcher(index);
            var ks = args.Length > 3 ? args[3..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10, 1000];
            foreach (var k in ks)
            {
                var exact = searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1);
                void Measure(string label, Func<SearchQuery, IndexHit[]> run)
                {
                    foreach (var q in queries.Take(50))
                        run(q);
                    var latencies = new double[queries.Count];
                    var found = 0L;
                    var total = 0L;
                    var cpu = TimeSpan.MaxValue;
                    for (var pass = 0; pass < 2; pass++)
                    {
                        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                        for (var i = 0; i < queries.Count; i++)
                        {
                            var t = Stopwatch.GetTimestamp();
                            var hits = run(queries[i]);
                            var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                            latencies[i] = pass == 0 ? ms : Math.Min(ms, latencies[i]);
                            if (pass == 0)
                            {
                                var truth = exact[i].Select(h => h.Doc).ToHashSet();
                                found += hits.Count(h => truth.Contains(h.Doc));
                                total += truth.Count;
                            }
                        }
                        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
                        cpu = used < cpu ? used : cpu;
                    }
                    Console.WriteLine($"k={k} {label,-28} mean {latencies.Average():F3} ms  cpu {cpu.TotalMilliseconds / queries.Count:F3} ms  recall {(total == 0 ? 1 : (double)found / total):F4}");
                }
                Measure("taat", q => searcher.Search(q, k, SearchAlgorithm.TermAtATime));
                if (Environment.GetEnvironmentVariable("MAXSCORE") != null)
                {
                    Measure("maxscore", q => searcher.Search(q, k, SearchAlgorithm.MaxScore));
                    Measure("daat", q => searcher.Search(q, k, SearchAlgorithm.DocumentAtATime));
                }
                if (!index.HasAnn)
                    continue;
                var grid = Environment.GetEnvironmentVariable("GRID") ?? "10,15,20:100,200,400,800";
                var parts = grid.Split(':');
                foreach (var terms in parts[0].Split(',').Select(int.Parse))
                {
                    foreach (var budget in parts[1].Split(',').Select(int.Parse))
                        Measure($"approx terms {terms} budget {budget}", q => searcher.Search(q, k, new ApproximateSearch(budget, terms)));
                }
            }
            break;
        }
    case "ann":
        {
            // ann DIR NAME [LISTSIZE]: add the approximate-search structures to DIR/index-NAME (as `disco index ann`).
            var clock = Stopwatch.StartNew();
            var listSize = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : AnnBuildOptions.DefaultListSize;
            var meta = AnnBuilder.Add(Path.Combine(args[1], $"index-{args[2]}"), new AnnBuildOptions(listSize));
            Console.WriteLine($"ann: {clock.Elapsed.TotalSeconds:F1} s, {meta.Ann!.Heads} head postings, {meta.Files.Where(f => f.Key.StartsWith("ann", StringComparison.Ordinal)).Sum(f => f.Value.Bytes) / 1e6:F0} MB");
            break;
        }
    case "rescore":
        {
            // rescore DIR NAME: CPU time of approximate search per query, cold (all queries) and warm (one query repeated).
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(index, $"q{i}", v, CsrFile.VocabularyStrings)).ToList();
            var scratch = new SearchScratch(index, IndexSearcher.DefaultRangeSize);
            {
                // Exact re-scoring alone: the same 2000 random documents for every query.
                var docs = Enumerable.Range(0, 2000).Select(i => (int)((long)i * 7919 % index.DocumentCount)).Order().ToArray();
                var ann = index.Ann!;
                var s = scratch.Ann;
                for (var pass = 0; pass < 3; pass++)
                {
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    foreach (var q in queries.Take(200))
                    {
                        scratch.Begin(q, 10);
                        CandidateSearch.Rescore<Float32Impacts>(q, index, ann, s.Weights, docs, scratch.Queue);
                    }
                    var ms = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 200;
                    Console.WriteLine($"rescore 2000 documents: {ms:F3} ms CPU per query, {ms * 1e6 / 2000:F0} ns per document");
                }
            }
            foreach (var (budget, terms) in new[] { (1, 20), (100, 20), (400, 20) })
            {
                for (var pass = 0; pass < 2; pass++)
                {
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    foreach (var q in queries)
                        CandidateSearch.Run(q, scratch, index, 10, budget, terms);
                    var ms = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / queries.Count;
                    Console.WriteLine($"budget {budget} terms {terms}: {ms:F3} ms CPU per query");
                }
                var warmCpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 0; i < 1000; i++)
                    CandidateSearch.Run(queries[7], scratch, index, 10, budget, terms);
                Console.WriteLine($"budget {budget} terms {terms} warm: {(Process.GetCurrentProcess().TotalProcessorTime - warmCpu).TotalMilliseconds / 1000:F3} ms CPU per query");
            }
            break;
        }
    case "profile":
        {
            // profile DIR NAME [BUDGET TERMS]: approximate search in a loop for 20 s (for perf record).
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var point = args.Length > 4 ? new ApproximateSearch(int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)) : new ApproximateSearch();
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(index, $"q{i}", v, CsrFile.VocabularyStrings)).ToList();
            var searcher = new IndexSearcher(index);
            var clock = Stopwatch.StartNew();
            var n = 0;
            while (clock.Elapsed.TotalSeconds < 20)
                searcher.Search(queries[n++ % queries.Count], 10, point);
            Console.WriteLine($"{n} queries, {clock.Elapsed.TotalMilliseconds / n:F3} ms each");
            break;
        }
    case "blocksim":
        {
            // blocksim DIR NAME [k]: block sizes 8..64, block bounds from the m heaviest query terms; documents that
            // best-bound-first block order scores to find 90% / all of the exact top k, and (term, block) bounds computed.
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var k = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(index, $"q{i}", v, CsrFile.VocabularyStrings)).Take(100).ToList();
            var searcher = new IndexSearcher(index);
            var postings = new Dictionary<int, (int[] Docs, float[] Impacts)>();
            foreach (var q in queries)
            {
                foreach (var t in q.Terms)
                {
                    if (!postings.ContainsKey(t))
                        postings[t] = index.ReadPostings(t);
                }
            }
            var tops = queries.Select(q => searcher.Search(q, k)).ToList();
            // Groups ranked by the query's dot product with their mean vector (IVF-style), or max, or sum of counts.
            foreach (var group in new[] { 256, 512, 1024, 2048 })
            {
                var groups = (index.DocumentCount + group - 1) / group;
                var meanScore = new double[groups];
                var maxScore = new double[groups];
                var maxBuf = new double[groups];
                double meanAll = 0, meanNinety = 0, maxAll = 0, maxNinety = 0;
                for (var qi = 0; qi < queries.Count; qi++)
                {
                    var q = queries[qi];
                    var top = tops[qi];
                    if (top.Length < k)
                        continue;
                    Array.Clear(meanScore);
                    Array.Clear(maxScore);
                    for (var t = 0; t < q.Count; t++)
                    {
                        var (docs, impacts) = postings[q.Terms[t]];
                        Array.Clear(maxBuf);
                        for (var i = 0; i < docs.Length; i++)
                        {
                            meanScore[docs[i] / group] += q.Weights[t] * impacts[i];
                            maxBuf[docs[i] / group] = Math.Max(maxBuf[docs[i] / group], impacts[i]);
                        }
                        for (var g = 0; g < groups; g++)
                            maxScore[g] += q.Weights[t] * maxBuf[g];
                    }
                    foreach (var (score, isMean) in new[] { (meanScore, true), (maxScore, false) })
                    {
                        var order = Enumerable.Range(0, groups).OrderByDescending(g => score[g]).ToArray();
                        var rank = new int[groups];
                        for (var i = 0; i < groups; i++)
                            rank[order[i]] = i;
                        var ranks = top.Select(h => rank[h.Doc / group]).Order().ToArray();
                        var ninety = (ranks[(int)Math.Ceiling(0.9 * k) - 1] + 1) * group;
                        var all = (ranks[^1] + 1) * group;
                        if (isMean)
                        {
                            meanNinety += ninety;
                            meanAll += all;
                        }
                        else
                        {
                            maxNinety += ninety;
                            maxAll += all;
                        }
                    }
                }
                var m = queries.Count;
                Console.WriteLine($"k={k} groups of {group,4}: by mean 90% after {meanNinety / m,8:F0} docs, all after {meanAll / m,8:F0}; by max 90% after {maxNinety / m,8:F0}, all after {maxAll / m,8:F0}");
            }
            foreach (var size in new[] { 8, 16, 32 })
            {
                foreach (var heavy in new[] { 5, 10, 20, 1000 })
                {
                    var blocks = (index.DocumentCount + size - 1) / size;
                    double docs90 = 0, docs100 = 0, touched = 0;
                    var bound = new double[blocks];
                    for (var qi = 0; qi < queries.Count; qi++)
                    {
                        var q = queries[qi];
                        var top = tops[qi];
                        if (top.Length < k)
                            continue;
                        Array.Clear(bound);
                        var terms = Enumerable.Range(0, q.Count).OrderByDescending(t => q.Weights[t]).Take(heavy);
                        foreach (var t in terms)
                        {
                            var (docs, impacts) = postings[q.Terms[t]];
                            var last = -1;
                            var max = 0f;
                            for (var i = 0; i <= docs.Length; i++)
                            {
                                var b = i < docs.Length ? docs[i] / size : -2;
                                if (b != last && last >= 0)
                                {
                                    bound[last] += q.Weights[t] * max;
                                    touched++;
                                    max = 0;
                                }
                                if (i < docs.Length)
                                    max = Math.Max(max, impacts[i]);
                                last = b;
                            }
                        }
                        var order = Enumerable.Range(0, blocks).OrderByDescending(b => bound[b]).ToArray();
                        var rank = new int[blocks];
                        for (var i = 0; i < blocks; i++)
                            rank[order[i]] = i;
                        var ranks = top.Select(h => rank[h.Doc / size]).Order().ToArray();
                        docs90 += (ranks[(int)Math.Ceiling(0.9 * k) - 1] + 1) * size;
                        docs100 += (ranks[^1] + 1) * size;
                    }
                    var m = queries.Count;
                    Console.WriteLine($"k={k} block {size,2} heaviest {heavy,4}: 90% of top-k after {docs90 / m,8:F0} docs, all after {docs100 / m,8:F0}; bounds computed {touched / m,9:F0}");
                }
            }
            break;
        }
    case "seismic":
        {
            // seismic DIR NAME [k]: candidate blocks from the top-λ postings (by impact) of the m heaviest query terms,
            // ordered by the bound those postings give; recall@k after scoring B documents.
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var k = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(index, $"q{i}", v, CsrFile.VocabularyStrings)).Take(100).ToList();
            var searcher = new IndexSearcher(index);
            var sorted = new Dictionary<int, (int Doc, float Impact)[]>();
            foreach (var q in queries)
            {
                foreach (var t in q.Terms)
                {
                    if (!sorted.ContainsKey(t))
                    {
                        var (docs, impacts) = index.ReadPostings(t);
                        sorted[t] = [.. docs.Zip(impacts).OrderByDescending(p => p.Second)];
                    }
                }
            }
            var tops = queries.Select(q => searcher.Search(q, k)).ToList();
            var budgets = new[] { 50, 100, 250, 500, 1000, 2000, 4000, 8000 };
            // Documents ranked by their partial score over the m heaviest terms' top-λ postings.
            foreach (var lambda in new[] { 250, 500, 1000, 2000 })
            {
                foreach (var heavy in new[] { 20, 30, 40, -20, -30, -40 })
                {
                    var found = new double[budgets.Length];
                    long opsCount = 0;
                    for (var qi = 0; qi < queries.Count; qi++)
                    {
                        var q = queries[qi];
                        var partial = new Dictionary<int, double>();
                        var top = Enumerable.Range(0, q.Count).OrderByDescending(t => q.Weights[t]).Take(Math.Abs(heavy)).ToList();
                        var wmax = q.Weights[top[0]];
                        foreach (var t in top)
                        {
                            // Negative: depth proportional to the term's weight (the heaviest term reads lambda).
                            var depth = heavy > 0 ? lambda : (int)Math.Ceiling(lambda * q.Weights[t] / wmax);
                            foreach (var (doc, impact) in sorted[q.Terms[t]].Take(depth))
                            {
                                partial[doc] = partial.GetValueOrDefault(doc) + (q.Weights[t] * impact);
                                opsCount++;
                            }
                        }
                        var order = partial.OrderByDescending(p => p.Value).Select(p => p.Key).ToList();
                        var rank = new Dictionary<int, int>();
                        for (var i = 0; i < order.Count; i++)
                            rank[order[i]] = i;
                        foreach (var h in tops[qi])
                        {
                            if (!rank.TryGetValue(h.Doc, out var r))
                                continue;
                            for (var bi = 0; bi < budgets.Length; bi++)
                            {
                                if (r + 1 <= budgets[bi])
                                    found[bi]++;
                            }
                        }
                    }
                    var total = tops.Sum(t => t.Length);
                    Console.WriteLine($"docs lambda {lambda,4} heaviest {heavy,3} ops {opsCount / queries.Count,6}: recall@{k} at budgets {string.Join(" ", budgets.Select((b, i) => $"{b}:{found[i] / total:F3}"))}");
                }
            }
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
