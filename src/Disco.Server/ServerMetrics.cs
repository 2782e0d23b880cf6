using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Disco.Server;

/// <summary>
/// Request counters and latency histograms of the service, written as Prometheus text (version
/// 0.0.4) by <c>GET /metrics</c>. Lock-free: each request adds with Interlocked.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>Upper bounds of the latency buckets, seconds.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly ConcurrentDictionary<(string Endpoint, int Status), StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<string, Histogram> _latency = new(StringComparer.Ordinal);
    private long _inFlight;

    /// <summary>Requests being answered now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Requests answered on <paramref name="endpoint"/> with <paramref name="status"/>.</summary>
    public long Requests(string endpoint, int status) => _requests.TryGetValue((endpoint, status), out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>All requests answered with a status of 400 or more.</summary>
    public long Errors => _requests.Where(e => e.Key.Status >= 400).Sum(e => Interlocked.Read(ref e.Value.Value));

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Finished(string endpoint, int status, TimeSpan elapsed)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _requests.GetOrAdd((endpoint, status), _ => new StrongBox<long>()).Value);
        _latency.GetOrAdd(endpoint, _ => new Histogram()).Add(elapsed.TotalSeconds);
    }

    /// <summary>The Prometheus exposition: these counters plus the service's gauges in <paramref name="gauges"/>.</summary>
    public string Render(IEnumerable<(string Name, string Help, string Type, double Value)> gauges)
    {
        ArgumentNullException.ThrowIfNull(gauges);
        var text = new StringBuilder();
        text.Append("# HELP disco_http_requests_total Requests answered, by endpoint and status code.\n# TYPE disco_http_requests_total counter\n");
        foreach (var ((endpoint, status), box) in _requests.OrderBy(e => e.Key.Endpoint, StringComparer.Ordinal).ThenBy(e => e.Key.Status))
            text.Append(CultureInfo.InvariantCulture, $"disco_http_requests_total{{endpoint=\"{endpoint}\",status=\"{status}\"}} {Interlocked.Read(ref box.Value)}\n");
        text.Append("# HELP disco_http_request_errors_total Requests answered with a status of 400 or more.\n# TYPE disco_http_request_errors_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"disco_http_request_errors_total {Errors}\n");
        text.Append("# HELP disco_http_request_duration_seconds Time to answer a request, by endpoint.\n# TYPE disco_http_request_duration_seconds histogram\n");
        foreach (var (endpoint, histogram) in _latency.OrderBy(e => e.Key, StringComparer.Ordinal))
            histogram.Render(text, endpoint);
        text.Append("# HELP disco_http_requests_in_flight Requests being answered now.\n# TYPE disco_http_requests_in_flight gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"disco_http_requests_in_flight {InFlight}\n");
        foreach (var (name, help, type, value) in gauges)
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
        return text.ToString();
    }

    private sealed class StrongBox<T>
        where T : struct
    {
        public T Value;
    }

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[LatencyBuckets.Count + 1];
        private long _sumMicroseconds;

        public void Add(double seconds)
        {
            var bucket = 0;
            while (bucket < LatencyBuckets.Count && seconds > LatencyBuckets[bucket])
                bucket++;
            Interlocked.Increment(ref _counts[bucket]);
            Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1e6));
        }

        public void Render(StringBuilder text, string endpoint)
        {
            long cumulative = 0;
            for (var i = 0; i < LatencyBuckets.Count; i++)
            {
                cumulative += Interlocked.Read(ref _counts[i]);
                text.Append(CultureInfo.InvariantCulture, $"disco_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"{LatencyBuckets[i]}\"}} {cumulative}\n");
            }
            cumulative += Interlocked.Read(ref _counts[^1]);
            text.Append(CultureInfo.InvariantCulture, $"disco_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"+Inf\"}} {cumulative}\n");
            text.Append(CultureInfo.InvariantCulture, $"disco_http_request_duration_seconds_sum{{endpoint=\"{endpoint}\"}} {Interlocked.Read(ref _sumMicroseconds) / 1e6}\n");
            text.Append(CultureInfo.InvariantCulture, $"disco_http_request_duration_seconds_count{{endpoint=\"{endpoint}\"}} {cumulative}\n");
        }
    }
}
