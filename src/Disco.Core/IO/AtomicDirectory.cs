namespace Disco.Core.IO;

/// <summary>
/// Writes an output folder as a unit: everything goes into a sibling <c>DIR.tmp-&lt;id&gt;</c>, and
/// only a complete folder replaces <c>DIR</c> (the old one is moved aside to <c>DIR.old-&lt;id&gt;</c>
/// and deleted), so a run that fails halfway leaves the earlier output as it was, never a mix of
/// old and new files. Leftover <c>.tmp-</c>/<c>.old-</c> folders of interrupted runs are removed by
/// the next successful one. A folder holding files the writer does not own is not replaced.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>
    /// Replaces <paramref name="directory"/> with what <paramref name="write"/> puts into the
    /// temporary folder it is given. <paramref name="ownedNames"/> are the entries an earlier run
    /// may have left there; any other entry makes the call refuse before anything is written.
    /// </summary>
    public static void Replace(string directory, IReadOnlyCollection<string> ownedNames, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(ownedNames);
        ArgumentNullException.ThrowIfNull(write);
        var target = Path.GetFullPath(directory.TrimEnd('/', '\\'));
        var parent = Path.GetDirectoryName(target) ?? throw new DiscoException($"{directory}: is a filesystem root; the output needs a folder of its own");
        if (!Directory.Exists(parent))
            throw new DiscoException($"{directory}: its parent folder {parent} does not exist");
        if (File.Exists(target))
            throw new DiscoException($"{directory}: is a file; the output is a folder");
        var name = Path.GetFileName(target);
        var leftovers = Directory.EnumerateDirectories(parent, name + ".old-*").Concat(Directory.EnumerateDirectories(parent, name + ".tmp-*")).ToList();
        if (!Directory.Exists(target) && leftovers.FirstOrDefault(l => l.Contains(".old-", StringComparison.Ordinal)) is { } previous)
            throw new DiscoException($"{directory} is missing but {previous} holds the output of an earlier run that was interrupted while replacing it: rename it back to {directory}, or delete it, then run again");
        if (Directory.Exists(target))
        {
            var foreign = Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName)
                .FirstOrDefault(e => !ownedNames.Contains(e!) && !e!.StartsWith('.'));
            if (foreign is not null)
                throw new DiscoException($"{directory}: holds '{foreign}', which this command does not write; refusing to replace the folder (choose an empty or new --out)");
        }
        var id = Guid.NewGuid().ToString("N");
        var temp = $"{target}.tmp-{id}";
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            if (Directory.Exists(target))
            {
                var old = $"{target}.old-{id}";
                Directory.Move(target, old);
                Directory.Move(temp, target);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, target);
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        foreach (var leftover in leftovers)
            TryDelete(leftover);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
