using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Disco.Index.Bench;

/// <summary>
/// <c>open DIR NAME</c>: opens DIR/index-NAME, then runs every query once with block-max search
/// (k=10; term-at-a-time without the section), the first query after the open timed apart (it pays
/// the first checks of its terms); one JSON line. bench/index/opentime.sh drops the page cache
/// before the cold runs, and builds this file into an older checkout as well (public API only).
/// </summary>
internal static class OpenBench
{
    public static void Run(string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var index = SparseIndex.Open(Path.Combine(args[1], $"index-{args[2]}"));
        var openMs = clock.Elapsed.TotalMilliseconds;
        var vocabulary = new VocabularyMap(index, CsrFile.VocabularyStrings);
        var queries = CsrFile.Read(Path.Combine(args[1], "queries")).Select((v, i) => SearchQuery.Create(vocabulary, $"q{i}", v)).ToList();
        var searcher = new IndexSearcher(index);
        var algorithm = index.HasBlockMax ? SearchAlgorithm.BlockMax : SearchAlgorithm.TermAtATime;
        clock.Restart();
        searcher.Search(queries[0], 10, algorithm);
        var firstMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        foreach (var q in queries.Skip(1))
            searcher.Search(q, 10, algorithm);
        var restMs = clock.Elapsed.TotalMilliseconds;
        var peak = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["index"] = args[2],
            ["openMs"] = Math.Round(openMs, 2),
            ["firstQueryMs"] = Math.Round(firstMs, 2),
            ["restMeanMs"] = Math.Round(restMs / Math.Max(1, queries.Count - 1), 4),
            ["peakRssMB"] = peak is null ? 0 : Math.Round(double.Parse(peak, CultureInfo.InvariantCulture) / 1024),
        }));
    }
}
