using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.Index.Bench;

// Index benchmark against SPLADE's numba reference; bench/index/run.sh drives the whole comparison.
//   generate DIR DOCS QUERIES SEED   synthetic SPLADE-like collection (CSR files)
//   build DIR [float32|uint8|uint16]  index DIR/docs into DIR/index-<impacts>; time and peak memory
//   search DIR [float32|uint8|uint16] latency (1 thread) and throughput (2 threads), both algorithms, k=10 and 1000
//   report DIR                        markdown table from the JSON results of both systems
// Approximate search, reordering and pruning (bench/index/ann.sh drives them):
//   generate DIR DOCS QUERIES SEED TOPICS   topically clustered collection (TOPICS > 0)
//   build DIR NAME IMPACTS [clustered] [ann[LISTSIZE]]   index DIR/docs into DIR/index-NAME
//   ann DIR NAME [LISTSIZE]           add the approximate-search section to DIR/index-NAME
//   sweep DIR NAME [K...]             exact algorithms and approximate operating points: latency, recall@k
//   annreport DIR                     markdown tables of the sweeps against the numba peer
//   profile DIR NAME [BUDGET TERMS]   approximate search in a loop for 20 s (for perf)
//   stages DIR NAME TERMS BUDGET [K]  approximate search: time per stage and postings per pass
//   exactcheck DIR NAME K             every exact algorithm against term-at-a-time, hit by hit
//   blockmax DIR NAME [BITS]          add the block-max section to DIR/index-NAME (blocks of 2^BITS documents)
//   open DIR NAME                     open time, then every query once with block-max search (bench/index/opentime.sh)
//   blockmaxab DIR NAME [K]           block-max exact and approximate against term-at-a-time, alternated per query (CPU time)
//   tail DIR NAME K...                per query: term-at-a-time, block-max and auto (CPU time) with blocks left after block-max's first phase (CSV)
//   seismiccost                       unit costs of Seismic-style search: summary components, forward records (synthetic)
// Whole job (bench/index/job.sh drives it):
//   queryjsonl DIR OUT                DIR/queries as a vectors JSONL file (ids 0..n-1, tokens w0..w30521 as the index's terms)
var verb = args.Length > 0 ? args[0] : "";
var json = new JsonSerializerOptions { WriteIndented = true };
switch (verb)
{
    case "queryjsonl":
        {
            // The query file both sides of the whole-job benchmark read: what `disco encode` writes.
            var vocabulary = CsrFile.VocabularyStrings;
            var n = 0;
            VectorFile.Write(args[2], CsrFile.Read(Path.Combine(args[1], "queries"))
                .Select(v => TermVector.FromVector((n++).ToString(CultureInfo.InvariantCulture), v, vocabulary)));
            Console.Error.WriteLine($"wrote {n} queries to {args[2]}");
            break;
        }
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
            var hot = Environment.GetEnvironmentVariable("HOT") == "1";
            // THROUGHPUT=0 skips the two-thread batches (A/B runs of latency on a shared machine).
            var throughput = Environment.GetEnvironmentVariable("THROUGHPUT") != "0";
            // PASSES=0 skips the timing (with HITS=FILE: only the hits).
            var passes = int.Parse(Environment.GetEnvironmentVariable("PASSES") ?? "3", CultureInfo.InvariantCulture);
            foreach (var k in new[] { 10, 1000 })
            {
                foreach (var algorithm in quick ? new[] { SearchAlgorithm.TermAtATime } : new[] { SearchAlgorithm.MaxScore, SearchAlgorithm.TermAtATime })
                {
                    searcher.SearchBatch(queries, k, algorithm, threads: throughput ? 2 : 1);
                    var latencies = new double[queries.Count];
                    // Latency per query is its fastest of `passes` passes and throughput the fastest
                    // batch, as on the peer's side (bench/peers/splade_numba.py).
                    for (var pass = 0; pass < passes; pass++)
                    {
                        for (var i = 0; i < queries.Count; i++)
                        {
                            // CPUTIME=1: the thread's CPU time instead of wall time (for A/B runs on a loaded machine).
                            // HOT=1: the query runs once untimed just before, so its postings are in cache (is the scan memory-bound?).
                            if (hot)
                                searcher.Search(queries[i], k, algorithm);
                            var cpu0 = cpuTime ? ThreadCpuClock.NowMs() : 0;
                            var t = Stopwatch.GetTimestamp();
                            searcher.Search(queries[i], k, algorithm);
                            var ms = cpuTime ? ThreadCpuClock.NowMs() - cpu0 : Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                            latencies[i] = pass == 0 ? ms : Math.Min(ms, latencies[i]);
                        }
                    }
                    var batchSeconds = double.MaxValue;
                    for (var pass = 0; pass < (throughput ? passes : 0); pass++)
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
                        ["qps2Threads"] = throughput ? queries.Count / batchSeconds : 0,
                    };
                    results.Add(row);
                    Console.Error.WriteLine(JsonSerializer.Serialize(row));
                }
            }
            // HITS=FILE writes every query's term-at-a-time hits at k=10 and 1000 (document, score bits), so that
            // two builds can be compared bit for bit (bench/index/taat_ab.sh).
            if (Environment.GetEnvironmentVariable("HITS") is { Length: > 0 } hitsPath)
            {
                using var hitsFile = new StreamWriter(hitsPath);
                foreach (var k in new[] { 10, 1000 })
                {
                    foreach (var q in queries)
                    {
                        hitsFile.WriteLine(string.Join(' ', searcher.Search(q, k, SearchAlgorithm.TermAtATime)
                            .Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Doc}:{BitConverter.SingleToInt32Bits(h.Score):x8}"))));
                    }
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
            // sweep DIR NAME [K...]: exact term-at-a-time (and MaxScore, DAAT) and the approximate operating points of
            // GRID ("terms,...:budget,..."), one thread: latency per query (its fastest of PASSES passes) and recall@k
            // against exact; writes DIR/results-sweep-NAME.json.
            var dir = args[1];
            var name = args[2];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{name}"));
            var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
            // QUERIES=N: the first N queries only (quick A/B runs).
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v))
                .Take(int.Parse(Environment.GetEnvironmentVariable("QUERIES") ?? $"{int.MaxValue}", CultureInfo.InvariantCulture)).ToList();
            var searcher = new IndexSearcher(index);
            // CPUTIME=1: each query's thread CPU time instead of wall time (A/B runs on a loaded machine).
            var cpuTime = Environment.GetEnvironmentVariable("CPUTIME") == "1";
            var ks = args.Length > 3 ? args[3..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10, 1000];
            var rows = new List<Dictionary<string, object>>();
            // PASSES=1 for a quick recall check (latencies then include cold caches).
            var passes = int.Parse(Environment.GetEnvironmentVariable("PASSES") ?? "3", CultureInfo.InvariantCulture);
            foreach (var k in ks)
            {
                var exact = searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1);
                void Measure(string mode, string point, Func<SearchQuery, IndexHit[]> run)
                {
                    foreach (var q in queries.Take(50))
                        run(q);
                    var latencies = new double[queries.Count];
                    long found = 0, total = 0;
                    for (var pass = 0; pass < passes; pass++)
                    {
                        for (var i = 0; i < queries.Count; i++)
                        {
                            var cpu0 = cpuTime ? ThreadCpuClock.NowMs() : 0;
                            var t = Stopwatch.GetTimestamp();
                            var hits = run(queries[i]);
                            var ms = cpuTime ? ThreadCpuClock.NowMs() - cpu0 : Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                            latencies[i] = pass == 0 ? ms : Math.Min(ms, latencies[i]);
                            if (pass == 0)
                            {
                                var truth = exact[i].Select(h => h.Doc).ToHashSet();
                                found += hits.Count(h => truth.Contains(h.Doc));
                                total += truth.Count;
                            }
                        }
                    }
                    var sorted = latencies.Order().ToArray();
                    var row = new Dictionary<string, object>
                    {
                        ["index"] = name,
                        ["k"] = k,
                        ["mode"] = mode,
                        ["point"] = point,
                        ["meanMs"] = latencies.Average(),
                        ["p50Ms"] = sorted[sorted.Length / 2],
                        ["p99Ms"] = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)],
                        ["recall"] = total == 0 ? 1.0 : (double)found / total,
                    };
                    rows.Add(row);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} k={k} {mode} {point}: mean {row["meanMs"]:F3} ms, recall {row["recall"]:F4}"));
                }
                // EXACT=TermAtATime,MaxScore limits the exact algorithms timed (document-at-a-time takes
                // minutes per k at 1M documents and is never the fastest).
                var timed = Environment.GetEnvironmentVariable("EXACT")?.Split(',');
                foreach (var algorithm in Enum.GetValues<SearchAlgorithm>())
                {
                    if ((timed is null || timed.Contains(algorithm.ToString())) && algorithm != SearchAlgorithm.Auto && (algorithm != SearchAlgorithm.BlockMax || index.HasBlockMax))
                        Measure("exact", algorithm.ToString(), q => searcher.Search(q, k, algorithm));
                }
                // BLOCKS10, BLOCKS1000...: block budgets of block-max approximate search for that k.
                if (index.HasBlockMax)
                {
                    foreach (var blocks in (Environment.GetEnvironmentVariable($"BLOCKS{k}") ?? (k <= 100 ? "64,96,128,192,256" : "256,512,1024")).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
                        Measure("approximate", $"blocks {blocks}", q => searcher.Search(q, k, new ApproximateSearch(Blocks: blocks)));
                }
                if (!index.HasAnn)
                    continue;
                // GRID10, GRID1000...: the grid for that k; budgets below k cap recall, so deeper runs get larger budgets.
                var grid = (Environment.GetEnvironmentVariable($"GRID{k}") ?? (k <= 100 ? "6,12,30:50,100,200,400,800" : "12,30:1000,2000,4000,8000")).Split(':');
                foreach (var terms in grid[0].Split(',').Select(int.Parse))
                {
                    foreach (var budget in grid[1].Split(',').Select(int.Parse))
                    {
                        Measure("approximate", $"terms {terms}, budget {budget}", q => searcher.Search(q, k, new ApproximateSearch(budget, terms)));
                    }
                }
            }
            // RESULTS=DIR writes the rows elsewhere (runs against an index directory that is not yours).
            File.WriteAllText(Path.Combine(Environment.GetEnvironmentVariable("RESULTS") ?? dir, $"results-sweep-{name}.json"), JsonSerializer.Serialize(rows, json));
            break;
        }
    case "stages":
        {
            // stages DIR NAME TERMS BUDGET [K]: one approximate operating point, every query PASSES times on one
            // thread; the mean time per query of each stage (gather pass 1, pass 2, end-of-range flush, choice,
            // re-scoring) over all passes, and the postings each pass reads (pass 2: how many hit a touched document).
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var terms = int.Parse(args[3], CultureInfo.InvariantCulture);
            var budget = int.Parse(args[4], CultureInfo.InvariantCulture);
            var k = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 10;
            var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v)).ToList();
            var passes = int.Parse(Environment.GetEnvironmentVariable("PASSES") ?? "3", CultureInfo.InvariantCulture);
            var scratch = new SearchScratch(index, IndexSearcher.DefaultRangeSize);
            var warm = new StageProbe();
            foreach (var q in queries.Take(50))
                CandidateSearch.Run(q, scratch, index, k, budget, terms, ref warm);
            var probe = new StageProbe();
            // HOT=1: each query runs once untimed just before, so its structures are in cache (memory or compute?).
            var hot = Environment.GetEnvironmentVariable("HOT") == "1";
            var cpu0 = ThreadCpuClock.NowMs();
            var hotCpu = 0.0;
            for (var pass = 0; pass < passes; pass++)
            {
                foreach (var q in queries)
                {
                    if (hot)
                    {
                        var h0 = ThreadCpuClock.NowMs();
                        CandidateSearch.Run(q, scratch, index, k, budget, terms, ref warm);
                        hotCpu += ThreadCpuClock.NowMs() - h0;
                    }
                    CandidateSearch.Run(q, scratch, index, k, budget, terms, ref probe);
                }
            }
            var cpu = (ThreadCpuClock.NowMs() - cpu0 - hotCpu) / (passes * queries.Count);
            var runs = (double)passes * queries.Count;
            var ms = probe.Ticks.Select(t => t * 1000.0 / Stopwatch.Frequency / runs).ToArray();
            var line = string.Join(", ", Enum.GetValues<AnnStage>().Where(st => st != AnnStage.Done).Select(st => string.Create(CultureInfo.InvariantCulture, $"{st} {ms[(int)st]:F4}")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{args[2]} ({terms}, {budget}){(hot ? " hot" : "")}: CPU {cpu:F4} ms/query; wall ms/query {line}; total {ms.Sum():F4}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  postings/query: pass 1 {probe.Touching / runs:F0}, pass 2 {probe.Adding / runs:F0} of which added {probe.Added / runs:F0} ({(double)probe.Added / Math.Max(1, probe.Adding):P1})"));
            break;
        }
    case "exactcheck":
        {
            // exactcheck DIR NAME K: every exact algorithm against term-at-a-time, hit by hit; prints the first differences.
            using var index = SparseIndex.Open(Path.Combine(args[1], $"index-{args[2]}"));
            var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
            var queries = CsrFile.Read(Path.Combine(args[1], "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v)).ToList();
            var searcher = new IndexSearcher(index);
            var k = int.Parse(args[3], CultureInfo.InvariantCulture);
            var exact = searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1);
            foreach (var algorithm in Enum.GetValues<SearchAlgorithm>().Where(a => a != SearchAlgorithm.Auto && (a != SearchAlgorithm.BlockMax || index.HasBlockMax)))
            {
                var differ = 0;
                var printed = 0;
                for (var q = 0; q < queries.Count; q++)
                {
                    var hits = searcher.Search(queries[q], k, algorithm);
                    var same = hits.Length == exact[q].Length && hits.AsSpan().SequenceEqual(exact[q]);
                    if (same)
                        continue;
                    differ++;
                    if (printed++ >= 5)
                        continue;
                    var truth = exact[q].ToDictionary(h => h.Doc, h => h.Score);
                    var got = hits.ToDictionary(h => h.Doc, h => h.Score);
                    var kth = exact[q].Length > 0 ? exact[q][^1].Score : 0;
                    Console.WriteLine($"{algorithm} q{q}: {hits.Length} vs {exact[q].Length} hits, k-th TAAT score {kth:R}");
                    foreach (var h in hits.Where(h => !truth.ContainsKey(h.Doc)).Take(5))
                        Console.WriteLine($"  extra doc {h.Doc} score {h.Score:R}");
                    foreach (var h in exact[q].Where(h => !got.ContainsKey(h.Doc)).Take(5))
                        Console.WriteLine($"  missing doc {h.Doc} score {h.Score:R}");
                    for (var i = 0; i < Math.Min(hits.Length, exact[q].Length); i++)
                    {
                        if (hits[i] != exact[q][i])
                        {
                            Console.WriteLine($"  first difference at rank {i}: {hits[i]} vs {exact[q][i]}");
                            break;
                        }
                    }
                }
                Console.WriteLine($"{algorithm} k={k}: {differ} of {queries.Count} queries differ from TermAtATime");
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
    case "seismiccost":
        SeismicUnitCost.Run();
        break;
    case "profile":
        {
            // profile DIR NAME [BUDGET TERMS]: approximate search in a loop for 20 s (for perf record).
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var point = args.Length > 4 ? new ApproximateSearch(int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)) : new ApproximateSearch();
            var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v)).ToList();
            var searcher = new IndexSearcher(index);
            var clock = Stopwatch.StartNew();
            var n = 0;
            while (clock.Elapsed.TotalSeconds < 20)
                searcher.Search(queries[n++ % queries.Count], 10, point);
            Console.WriteLine($"{n} queries, {clock.Elapsed.TotalMilliseconds / n:F3} ms each");
            break;
        }
    case "blockmax":
        {
            // blockmax DIR NAME [BITS]: add the block-max section to DIR/index-NAME (as `disco index blockmax`).
            var clock = Stopwatch.StartNew();
            var bits = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : BlockMaxBuildOptions.DefaultBlockBits;
            // DENSE=N: dense rows for terms in at least 1/N of the blocks; LIMIT=BYTES: the section's size limit.
            var options = new BlockMaxBuildOptions(bits)
            {
                DenseDivisor = int.Parse(Environment.GetEnvironmentVariable("DENSE") ?? $"{BlockMaxBuildOptions.DefaultDenseDivisor}", CultureInfo.InvariantCulture),
                MaxBytes = Environment.GetEnvironmentVariable("LIMIT") is { Length: > 0 } limit ? long.Parse(limit, CultureInfo.InvariantCulture) : null,
            };
            var meta = IndexBuilder.AddBlockMax(Path.Combine(args[1], $"index-{args[2]}"), options);
            var b = meta.BlockMax!;
            Console.WriteLine($"blockmax: {clock.Elapsed.TotalSeconds:F1} s, peak memory {PeakMemoryMB():F0} MB, {b.Blocks} blocks, {b.Entries} entries, {b.DenseRows} dense rows, clustering {b.Clustering:F3}, "
                + $"{b.Files.Values.Sum(f => meta.Files[f].Bytes) / 1e6:F0} MB");
            break;
        }
    case "open":
        OpenBench.Run(args);
        break;
    case "blockmaxab":
        {
            // blockmaxab DIR NAME [K]: exact block-max against term-at-a-time, alternated per query (thread CPU time, every
            // query's fastest of PASSES), hits compared; and block-max approximate budgets (BUDGETS=64,128,...) with recall.
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var k = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
            var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v))
                .Take(int.Parse(Environment.GetEnvironmentVariable("QUERIES") ?? $"{int.MaxValue}", CultureInfo.InvariantCulture)).ToList();
            var searcher = new IndexSearcher(index);
            var exact = searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1);
            var passes = int.Parse(Environment.GetEnvironmentVariable("PASSES") ?? "3", CultureInfo.InvariantCulture);
            var points = new List<(string Name, Func<SearchQuery, IndexHit[]> Run)>
            {
                ("taat", q => searcher.Search(q, k, SearchAlgorithm.TermAtATime)),
                ("blockmax", q => searcher.Search(q, k, SearchAlgorithm.BlockMax)),
            };
            foreach (var budget in (Environment.GetEnvironmentVariable("BUDGETS") ?? "64,96,128,192,256").Split(',').Select(int.Parse))
                points.Add(($"approx {budget}", q => searcher.Search(q, k, new ApproximateSearch(Blocks: budget))));
            var best = points.Select(_ => new double[queries.Count]).ToArray();
            var found = new long[points.Count];
            var differ = new int[points.Count];
            for (var pass = 0; pass < passes; pass++)
            {
                for (var i = 0; i < queries.Count; i++)
                {
                    for (var x = 0; x < points.Count; x++)
                    {
                        var p = (x + i + pass) % points.Count;
                        var cpu0 = ThreadCpuClock.NowMs();
                        var hits = points[p].Run(queries[i]);
                        var ms = ThreadCpuClock.NowMs() - cpu0;
                        best[p][i] = pass == 0 ? ms : Math.Min(ms, best[p][i]);
                        if (pass == 0)
                        {
                            var truth = exact[i].Select(h => h.Doc).ToHashSet();
                            found[p] += hits.Count(h => truth.Contains(h.Doc));
                            if (!hits.AsSpan().SequenceEqual(exact[i]))
                                differ[p]++;
                        }
                    }
                }
            }
            var total = exact.Sum(e => e.Length);
            for (var p = 0; p < points.Count; p++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{points[p].Name,-12} k={k} cpu mean {best[p].Average():F4} ms ({best[p].Average() / best[0].Average():F3} x taat), recall {(double)found[p] / total:F4}, {differ[p]} queries differ"));
            break;
        }
    case "tail":
        {
            // tail DIR NAME K...: per query, term-at-a-time, block-max (pure) and auto (block-max handing over to
            // term-at-a-time), alternated (thread CPU time, each query's fastest of PASSES), with the cheap quantities
            // that may predict block-max's cost: the blocks left after its first phase, query terms and postings.
            // Writes DIR/tail-NAME-K.csv (or under RESULTS) and prints mean, p50, p99 of each.
            var dir = args[1];
            using var index = SparseIndex.Open(Path.Combine(dir, $"index-{args[2]}"));
            var bm = index.BlockMax ?? throw new InvalidOperationException("no block-max section");
            var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
            var queries = CsrFile.Read(Path.Combine(dir, "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v))
                .Take(int.Parse(Environment.GetEnvironmentVariable("QUERIES") ?? $"{int.MaxValue}", CultureInfo.InvariantCulture)).ToList();
            var searcher = new IndexSearcher(index);
            var passes = int.Parse(Environment.GetEnvironmentVariable("PASSES") ?? "3", CultureInfo.InvariantCulture);
            var scratch = new SearchScratch(index, IndexSearcher.DefaultRangeSize);
            foreach (var k in args[3..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)))
            {
                var exact = searcher.SearchBatch(queries, k, SearchAlgorithm.TermAtATime, threads: 1);
                var points = new (string Name, Func<SearchQuery, IndexHit[]> Run)[]
                {
                    ("taat", q => searcher.Search(q, k, SearchAlgorithm.TermAtATime)),
                    ("blockmax", q => searcher.Search(q, k, SearchAlgorithm.BlockMax)),
                    ("auto", q => searcher.Search(q, k, SearchAlgorithm.Auto)),
                };
                var best = points.Select(_ => new double[queries.Count]).ToArray();
                var differ = new int[points.Length];
                // A random order per query and pass: a cyclic one always runs auto right after block-max on the
                // same query, whose blocks it then finds in cache (13% faster than block-max itself, measured).
                var random = new Random(k);
                var order = Enumerable.Range(0, points.Length).ToArray();
                for (var pass = 0; pass < passes; pass++)
                {
                    for (var i = 0; i < queries.Count; i++)
                    {
                        random.Shuffle(order);
                        foreach (var p in order)
                        {
                            var cpu0 = ThreadCpuClock.NowMs();
                            var hits = points[p].Run(queries[i]);
                            var ms = ThreadCpuClock.NowMs() - cpu0;
                            best[p][i] = pass == 0 ? ms : Math.Min(ms, best[p][i]);
                            if (pass == 0 && !hits.AsSpan().SequenceEqual(exact[i]))
                                differ[p]++;
                        }
                    }
                }
                var csv = new StringBuilder("query,terms,postings,blocks,left,taat_ms,blockmax_ms,auto_ms\n");
                for (var i = 0; i < queries.Count; i++)
                {
                    var left = BlockMaxSearch.BlocksLeft(queries[i], scratch, bm, k);
                    csv.Append(CultureInfo.InvariantCulture, $"{i},{queries[i].Count},{BlockMaxSearch.QueryPostings(queries[i], bm)},{bm.Blocks},{left},{best[0][i]:F5},{best[1][i]:F5},{best[2][i]:F5}\n");
                }
                File.WriteAllText(Path.Combine(Environment.GetEnvironmentVariable("RESULTS") ?? dir, $"tail-{args[2]}-{k}.csv"), csv.ToString());
                for (var p = 0; p < points.Length; p++)
                {
                    var sorted = best[p].Order().ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[2]} k={k} {points[p].Name,-9} cpu mean {best[p].Average():F3} p50 {Percentile(sorted, 0.5):F3} p99 {Percentile(sorted, 0.99):F3} ms, {differ[p]} queries differ from taat"));
                }
            }
            break;
        }
    case "report":
        Report.Write(args[1]);
        break;
    case "annreport":
        AnnReport.Write(args[1]);
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
