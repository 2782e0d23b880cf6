using System.Text.Json;

namespace Disco.Training;

/// <summary>Appends one JSON object per line and flushes it, so a crashed run keeps its log.</summary>
public sealed class TrainingLogWriter : IDisposable
{
    private readonly StreamWriter? _writer;

    /// <param name="path">the log file, or null to log nowhere</param>
    /// <param name="append">keep existing lines (resume) instead of starting a new file</param>
    public TrainingLogWriter(string? path, bool append = false)
    {
        if (path is null)
            return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        _writer = new StreamWriter(path, append) { AutoFlush = true };
    }

    public void Write(IReadOnlyDictionary<string, object> fields)
    {
        if (_writer is null)
            return;
        _writer.WriteLine(JsonSerializer.Serialize(fields));
    }

    public void Dispose() => _writer?.Dispose();
}
