namespace Disco.Cli;

/// <summary>
/// Checks an output file's path before any work starts (issue 15): the file's own folder may be
/// created, but a missing folder above it is a mistyped path, refused rather than created from the
/// filesystem root down; a path naming a folder is refused too.
/// </summary>
internal static class OutputPath
{
    /// <summary>Returns the full path of <paramref name="path"/> after the checks.</summary>
    public static string File(string path, string option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new UsageException($"{option} {path}: is a folder; give a file name");
        var folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder) && Path.GetDirectoryName(folder) is { } parent && !Directory.Exists(parent))
            throw new UsageException($"{option} {path}: folder {parent} does not exist");
        return full;
    }
}
