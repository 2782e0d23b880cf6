using System.Globalization;
using System.Text.Json;

namespace Disco.Index.Bench;

/// <summary>Prints the markdown tables of docs/benchmarks.md from the JSON results in a run directory.</summary>
internal static class Report
{
    public static void Write(string dir)
    {
        var peer = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results-numba.json"))).RootElement;
        var peerRows = peer.GetProperty("search").EnumerateArray().ToList();
        var build = peer.GetProperty("build");
        Console.WriteLine($"Documents: {build.GetProperty("documents").GetInt32():N0}, postings: {build.GetProperty("postings").GetInt64():N0}");
        Console.WriteLine();
        Console.WriteLine("| system | k | mean ms | p50 ms | p99 ms | speed-up (mean) | QPS, 2 threads | speed-up (QPS vs peer's best) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var file in Directory.GetFiles(dir, "results-search-*.json").Order())
        {
            var ours = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            foreach (var row in ours.GetProperty("results").EnumerateArray())
            {
                var k = row.GetProperty("k").GetInt32();
                var p = peerRows.Single(r => r.GetProperty("k").GetInt32() == k);
                Console.WriteLine(Line(row, p));
            }
            Console.WriteLine($"<!-- {Path.GetFileName(file)}: {ours.GetProperty("agreement").GetString()} -->");
        }
        foreach (var p in peerRows)
            Console.WriteLine(Line(p, p));
        Console.WriteLine();
        Console.WriteLine("| system | build s | peak memory MB | bytes/posting | index MB |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var file in Directory.GetFiles(dir, "results-build-*.json").Order())
        {
            var b = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| disco {b.GetProperty("impacts").GetString()} | {b.GetProperty("buildSeconds").GetDouble():F1} | {b.GetProperty("peakMemoryMB").GetDouble():F0} | {b.GetProperty("bytesPerPosting").GetDouble():F2} | {b.GetProperty("indexBytes").GetInt64() / 1e6:F0} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| SPLADE numba (in RAM, CSR → posting arrays) | {build.GetProperty("seconds").GetDouble():F1} | {build.GetProperty("peakMemoryMB").GetDouble():F0} | 8.00 | {build.GetProperty("postings").GetInt64() * 8 / 1e6:F0} |"));
    }

    private static string Line(JsonElement row, JsonElement peer)
    {
        var mean = row.GetProperty("meanMs").GetDouble();
        var qps = row.GetProperty("qps2Threads").GetDouble();
        // The reference parallelises one query's postings with prange; when that is slower than
        // running it on one thread, compare against its one-thread rate instead (the better of the two).
        var peerQps = Math.Max(peer.GetProperty("qps2Threads").GetDouble(), 1000 / peer.GetProperty("meanMs").GetDouble());
        return string.Create(CultureInfo.InvariantCulture,
            $"| {row.GetProperty("system").GetString()} | {row.GetProperty("k").GetInt32()} | {mean:F2} | {row.GetProperty("p50Ms").GetDouble():F2} | {row.GetProperty("p99Ms").GetDouble():F2} | {peer.GetProperty("meanMs").GetDouble() / mean:F1}x | {qps:F1} | {qps / peerQps:F1}x |");
    }
}
