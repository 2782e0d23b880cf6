using System.Diagnostics;

namespace Disco.Cli;

/// <summary>
/// A progress bar on stderr with rate and ETA. Silent when stderr is not a terminal, so logs and
/// CI output stay clean. Thread-safe; redraws at most ten times a second.
/// </summary>
public sealed class ConsoleProgress : IProgress<long>, IDisposable
{
    private readonly string _label;
    private readonly long? _total;
    private readonly bool _enabled;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _done;
    private long _lastDrawMs = -1000;
    private bool _disposed;

    public ConsoleProgress(string label, long? total = null, bool? enabled = null)
    {
        _label = label;
        _total = total is > 0 ? total : null;
        _enabled = enabled ?? !Console.IsErrorRedirected;
    }

    /// <summary>Adds <paramref name="value"/> items to the count done.</summary>
    public void Report(long value)
    {
        lock (_gate)
        {
            _done += value;
            if (!_enabled)
                return;
            var now = _clock.ElapsedMilliseconds;
            if (now - _lastDrawMs < 100 && (_total is null || _done < _total))
                return;
            _lastDrawMs = now;
            Draw(final: false);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_enabled)
            {
                Draw(final: true);
                Console.Error.WriteLine();
            }
        }
    }

    private void Draw(bool final)
    {
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        var rate = _done / seconds;
        string line;
        if (_total is long total)
        {
            var fraction = Math.Clamp((double)_done / total, 0, 1);
            const int width = 30;
            var filled = (int)(fraction * width);
            var eta = rate > 0 && !final ? TimeSpan.FromSeconds((total - _done) / rate) : TimeSpan.Zero;
            line = $"\r{_label} [{new string('#', filled)}{new string('-', width - filled)}] {_done}/{total} {fraction,6:P1} {rate:F1}/s ETA {eta:hh\\:mm\\:ss}";
        }
        else
        {
            line = $"\r{_label} {_done} {rate:F1}/s {_clock.Elapsed:hh\\:mm\\:ss}";
        }
        Console.Error.Write(line.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 100, 120)));
    }
}
