using System.Text.Json;
using Disco.Core.IO;

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

    /// <summary>
    /// Drops the lines of steps after <paramref name="step"/> (written by a run that went on past
    /// the checkpoint a resume starts from), so the resumed log reads as one run. Lines that are not
    /// JSON objects with a numeric <c>step</c> are kept.
    /// </summary>
    public static void TruncateAfter(string path, long step)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            return;
        var lines = File.ReadAllLines(path);
        var kept = lines.Where(line => StepOf(line) is not { } s || s <= step).ToArray();
        if (kept.Length != lines.Length)
            AtomicFile.WriteAllText(path, string.Concat(kept.Select(l => l + "\n")));
    }

    private static long? StepOf(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("step", out var s) && s.TryGetInt64(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _writer?.Dispose();
}
