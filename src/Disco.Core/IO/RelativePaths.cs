namespace Disco.Core.IO;

/// <summary>Checks for file names that come from untrusted data (hub answers, shard lists in model indexes).</summary>
public static class RelativePaths
{
    /// <summary>
    /// True for a relative path of plain names (<c>config.json</c>, <c>onnx/model.onnx</c>): not
    /// rooted, no empty, <c>.</c> or <c>..</c> segment, no backslash, no control character, so it
    /// can only name something below the folder it is combined with.
    /// </summary>
    public static bool IsPlain(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 1024 || Path.IsPathRooted(path) || path.Contains('\\', StringComparison.Ordinal))
            return false;
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or ".." || segment.Any(char.IsControl))
                return false;
        }
        return true;
    }
}
