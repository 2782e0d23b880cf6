using System.Diagnostics.CodeAnalysis;

namespace Disco.Cli;

/// <summary>
/// Progress bars for the steps of one library call: each step's bar appears on its first report
/// and the previous step's bar is finished then, so bars never interleave on the terminal.
/// </summary>
internal sealed class ProgressStages : IDisposable
{
    private readonly Lock _gate = new();
    private ConsoleProgress? _current;

    /// <summary>A progress sink for one step; its bar shows <paramref name="label"/> and <paramref name="total"/>.</summary>
    public IProgress<long> Stage(string label, long? total = null) => new StageProgress(this, label, total);

    public void Dispose()
    {
        lock (_gate)
            _current?.Dispose();
    }

    private sealed class StageProgress(ProgressStages owner, string label, long? total) : IProgress<long>
    {
        [SuppressMessage("Performance", "CA1859", Justification = "Typed as IProgress so this stage cannot own (dispose) the bar; the owner does.")]
        private IProgress<long>? _bar;

        public void Report(long value)
        {
            lock (owner._gate)
            {
                if (_bar is null)
                {
                    owner._current?.Dispose();
                    var bar = new ConsoleProgress(label, total);
                    owner._current = bar;
                    _bar = bar;
                }
            }
            _bar.Report(value);
        }
    }
}
