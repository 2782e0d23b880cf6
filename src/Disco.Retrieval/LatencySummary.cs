namespace Disco.Retrieval;

/// <summary>Latency statistics of a batch measured per query (milliseconds; percentiles by nearest rank).</summary>
public sealed record LatencySummary(int Queries, double MeanEncodeMilliseconds, double MeanSearchMilliseconds, double P50SearchMilliseconds, double P99SearchMilliseconds)
{
    public static LatencySummary Of(IReadOnlyList<QueryLatency> latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        static double Percentile(IEnumerable<double> values, double p)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
        return new LatencySummary(
            latencies.Count,
            latencies.Count == 0 ? 0 : latencies.Average(l => l.EncodeMilliseconds),
            latencies.Count == 0 ? 0 : latencies.Average(l => l.SearchMilliseconds),
            Percentile(latencies.Select(l => l.SearchMilliseconds), 0.5),
            Percentile(latencies.Select(l => l.SearchMilliseconds), 0.99));
    }
}
