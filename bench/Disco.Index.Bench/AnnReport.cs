using System.Globalization;
using System.Text.Json;

namespace Disco.Index.Bench;

/// <summary>
/// The markdown tables of docs/benchmarks.md for approximate search, reordering and pruning, from
/// one run directory: the sweeps of every index (results-sweep-*.json), their builds, and the
/// SPLADE numba peer (results-numba.json, the faster of its runs in this benchmark).
/// </summary>
internal static class AnnReport
{
    public static void Write(string dir)
    {
        // The peer runs before and after Disco (results-numba-1.json, -2.json); each k keeps its faster run.
        var peers = Directory.GetFiles(dir, "results-numba-*.json").Order(StringComparer.Ordinal).Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
        if (peers.Count == 0)
            peers.Add(JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results-numba.json"))).RootElement);
        var peerMs = peers.SelectMany(p => p.GetProperty("search").EnumerateArray())
            .GroupBy(r => r.GetProperty("k").GetInt32())
            .ToDictionary(g => g.Key, g => g.Min(r => r.GetProperty("meanMs").GetDouble()));
        var build = peers[0].GetProperty("build");
        var rows = Directory.GetFiles(dir, "results-sweep-*.json").Order(StringComparer.Ordinal)
            .SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.EnumerateArray()).ToList();
        string S(JsonElement r, string p) => r.GetProperty(p).GetString()!;
        double D(JsonElement r, string p) => r.GetProperty(p).GetDouble();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(dir.TrimEnd('/'))}: {build.GetProperty("documents").GetInt32():N0} documents, {build.GetProperty("postings").GetInt64():N0} postings, {rows.Select(r => r.GetProperty("k")).Count()} rows"));
        foreach (var k in rows.Select(r => r.GetProperty("k").GetInt32()).Distinct().Order())
        {
            var taat = rows.Single(r => r.GetProperty("k").GetInt32() == k && S(r, "index") == "plain" && S(r, "point") == "TermAtATime");
            Console.WriteLine();
            Console.WriteLine($"k={k}, one thread, mean of each query's fastest of 3 passes:");
            Console.WriteLine();
            Console.WriteLine("| index | mode | operating point | recall@k | mean ms | p50 ms | p99 ms | × numba | × exact TAAT |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| SPLADE numba | exact | | 1.0000 | {peerMs[k]:F2} | | | 1.0x | {D(taat, "meanMs") / peerMs[k]:F2}x |"));
            foreach (var r in rows.Where(r => r.GetProperty("k").GetInt32() == k))
            {
                var mean = D(r, "meanMs");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {S(r, "index")} | {S(r, "mode")} | {S(r, "point")} | {D(r, "recall"):F4} | {mean:F3} | {D(r, "p50Ms"):F3} | {D(r, "p99Ms"):F3} | {peerMs[k] / mean:F1}x | {D(taat, "meanMs") / mean:F1}x |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine("| index | whole build s (incl. reordering and section) | approximate-search section s (last built) | block-max section s | peak memory MB | index MB | of which approximate-search MB | of which block-max MB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var file in Directory.GetFiles(dir, "results-build-*.json").Order(StringComparer.Ordinal))
        {
            var b = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            var name = Path.GetFileNameWithoutExtension(file)["results-build-".Length..];
            var metaPath = Path.Combine(dir, $"index-{name}", "meta.json");
            if (!File.Exists(metaPath))
                continue;
            var meta = JsonDocument.Parse(File.ReadAllText(metaPath)).RootElement;
            var files = meta.GetProperty("files").EnumerateObject().ToList();
            var total = files.Sum(f => f.Value.GetProperty("bytes").GetInt64());
            var ann = files.Where(f => f.Name.StartsWith("ann", StringComparison.Ordinal)).Sum(f => f.Value.GetProperty("bytes").GetInt64());
            var annSeconds = meta.TryGetProperty("ann", out var a) ? a.GetProperty("buildSeconds").GetDouble() : 0;
            var blockMax = files.Where(f => f.Name.StartsWith("bmax", StringComparison.Ordinal)).Sum(f => f.Value.GetProperty("bytes").GetInt64());
            var blockMaxSeconds = meta.TryGetProperty("blockMax", out var bm) ? bm.GetProperty("buildSeconds").GetDouble() : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {D(b, "buildSeconds"):F1} | {annSeconds:F1} | {blockMaxSeconds:F1} | {D(b, "peakMemoryMB"):F0} | {total / 1e6:F0} | {ann / 1e6:F0} | {blockMax / 1e6:F0} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| SPLADE numba (in RAM) | {build.GetProperty("seconds").GetDouble():F1} | | | {build.GetProperty("peakMemoryMB").GetDouble():F0} | {build.GetProperty("postings").GetInt64() * 8 / 1e6:F0} | | |"));
    }
}
