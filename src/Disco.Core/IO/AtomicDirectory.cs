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
    /// <summary>The infix of a folder being written beside its target.</summary>
    public const string TempInfix = ".tmp-";

    /// <summary>The infix of a replaced folder moved aside before it is deleted.</summary>
    public const string OldInfix = ".old-";

    /// <summary>
    /// Replaces <paramref name="directory"/> with what <paramref name="write"/> puts into the
    /// temporary folder it is given. <paramref name="ownedNames"/> are the entries an earlier run
    /// may have left there; any other entry makes the call refuse before anything is written.
    /// </summary>
    public static void Replace(string directory, IReadOnlyCollection<string> ownedNames, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(ownedNames);
        var target = Target(directory);
        var leftovers = Leftovers(target);
        if (!Directory.Exists(target) && leftovers.FirstOrDefault(l => Path.GetFileName(l).Contains(OldInfix, StringComparison.Ordinal)) is { } previous)
            throw new DiscoException($"{directory} is missing but {previous} holds the output of an earlier run that was interrupted while replacing it: rename it back to {directory}, or delete it, then run again");
        if (Directory.Exists(target))
        {
            var foreign = Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName)
                .FirstOrDefault(e => !ownedNames.Contains(e!) && !e!.StartsWith('.'));
            if (foreign is not null)
                throw new DiscoException($"{directory}: holds '{foreign}', which this command does not write; refusing to replace the folder (choose an empty or new --out)");
        }
        Swap(target, leftovers, write);
    }

    /// <summary>
    /// Replaces <paramref name="directory"/> (its content is the caller's own, e.g. a checkpoint) with
    /// what <paramref name="write"/> puts into a temporary sibling: old → <c>.old-</c>, new → DIR,
    /// old deleted. DIR always names a complete folder or, for the instant between the two renames,
    /// nothing (then a complete <c>.old-</c> and <c>.tmp-</c> lie beside it, see <see cref="RecoveryHint"/>).
    /// Leftovers of earlier interrupted saves are removed once the new folder is in place.
    /// </summary>
    public static void Replace(string directory, Action<string> write) => Swap(Target(directory), Leftovers(Target(directory)), write);

    /// <summary>The <c>DIR.tmp-*</c> and <c>DIR.old-*</c> folders beside <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Leftovers(string directory)
    {
        var target = Path.GetFullPath(directory.TrimEnd('/', '\\'));
        var parent = Path.GetDirectoryName(target);
        if (parent is null || !Directory.Exists(parent))
            return [];
        var name = Path.GetFileName(target);
        return [.. Directory.EnumerateDirectories(parent, name + OldInfix + "*").Concat(Directory.EnumerateDirectories(parent, name + TempInfix + "*")).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// For a <paramref name="directory"/> that does not exist: a sentence naming the leftover of an
    /// interrupted replacement that holds a complete copy (one with <paramref name="completeMarker"/>
    /// when given, else any <c>.old-</c> folder) and how to restore it; empty when there is none.
    /// </summary>
    public static string RecoveryHint(string directory, string? completeMarker = null)
    {
        if (Directory.Exists(directory))
            return "";
        var leftovers = Leftovers(directory);
        var complete = completeMarker is null
            ? leftovers.FirstOrDefault(l => Path.GetFileName(l).Contains(OldInfix, StringComparison.Ordinal))
            // The new folder is the newer complete copy: prefer it to the old one, and the latest save.
            : leftovers.OrderBy(l => Path.GetFileName(l).Contains(OldInfix, StringComparison.Ordinal)).ThenByDescending(Directory.GetLastWriteTimeUtc)
                .FirstOrDefault(l => File.Exists(Path.Combine(l, completeMarker)));
        return complete is null
            ? ""
            : $"; {complete} holds a complete copy left by a run interrupted while replacing it: rename it to {Path.GetFileName(directory.TrimEnd('/', '\\'))} to restore it";
    }

    /// <summary>Deletes <paramref name="leftovers"/> (from <see cref="Leftovers"/>), ignoring those that cannot be.</summary>
    public static void DeleteLeftovers(IEnumerable<string> leftovers)
    {
        ArgumentNullException.ThrowIfNull(leftovers);
        foreach (var leftover in leftovers)
            TryDelete(leftover);
    }

    private static string Target(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.GetFullPath(directory.TrimEnd('/', '\\'));
        var parent = Path.GetDirectoryName(target) ?? throw new DiscoException($"{directory}: is a filesystem root; the output needs a folder of its own");
        if (!Directory.Exists(parent))
            throw new DiscoException($"{directory}: its parent folder {parent} does not exist");
        if (File.Exists(target))
            throw new DiscoException($"{directory}: is a file; the output is a folder");
        return target;
    }

    /// <param name="leftovers">taken before the temporary folder exists, so a concurrent writer's later one is not among them</param>
    private static void Swap(string target, IReadOnlyList<string> leftovers, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var name = Path.GetFileName(target);
        var id = Guid.NewGuid().ToString("N");
        var temp = target + TempInfix + id;
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        FaultPoint.Reach(name + ":written");
        if (Directory.Exists(target))
        {
            var old = target + OldInfix + id;
            Directory.Move(target, old);
            FaultPoint.Reach(name + ":moved-aside");
            Directory.Move(temp, target);
            FaultPoint.Reach(name + ":swapped");
            TryDelete(old);
        }
        else
        {
            Directory.Move(temp, target);
        }
        DeleteLeftovers(leftovers);
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
