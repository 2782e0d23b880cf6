using Disco.Core.IO;
using Disco.Hub;

namespace Disco.Cli.Options;

/// <summary>A progress bar on stderr per file the hub client downloads.</summary>
internal sealed class ConsoleDownloadProgress : IProgress<HubDownloadProgress>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ConsoleProgress Bar, long Reported)> _bars = [];

    public void Report(HubDownloadProgress value)
    {
        var key = $"{value.RepoId}/{value.File}";
        lock (_gate)
        {
            if (!_bars.TryGetValue(key, out var entry))
                entry = (new ConsoleProgress(key, value.TotalBytes), 0);
            entry.Bar.Report(value.BytesDone - entry.Reported);
            entry.Reported = value.BytesDone;
            if (value.Done)
            {
                entry.Bar.Dispose();
                _bars.Remove(key);
            }
            else
            {
                _bars[key] = entry;
            }
        }
    }
}
