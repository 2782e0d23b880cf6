using System.Globalization;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Index;

/// <summary>
/// Where an index is written and how it replaces an older one: everything goes into a sibling
/// <c>DIR.tmp-&lt;guid&gt;</c>, checksums.bin and meta.json last, and only a complete index is moved to <c>DIR</c>.
/// Shared by every writer (build, import, merge) so they all leave nothing half-written at DIR; a
/// completed write also removes the <c>DIR.tmp-*</c>/<c>DIR.old-*</c> leftovers of interrupted earlier ones.
/// </summary>
internal sealed class IndexDirectory : IDisposable
{
    private readonly IReadOnlyList<string> _leftovers;
    private bool _done;

    public IndexDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var trimmed = directory.TrimEnd('/', '\\');
        if (trimmed.Length == 0 || Path.GetDirectoryName(Path.GetFullPath(trimmed)) is not { } parent)
            throw new DiscoException($"{directory}: is a filesystem root; the index needs a folder of its own");
        // Only the index's own folder is created: a mistyped parent is an error, not a new tree.
        if (!Directory.Exists(parent))
            throw new DiscoException($"{directory}: its parent folder {parent} does not exist");
        Target = Path.GetFullPath(trimmed);
        if (Directory.Exists(Target) && Directory.EnumerateFileSystemEntries(Target).Any()
            && !File.Exists(Path.Combine(Target, IndexFormat.MetaFile)))
            throw new DiscoException($"{directory}: exists and is not a Disco index; refusing to replace it");
        if (File.Exists(Target))
            throw new DiscoException($"{directory}: is a file; the index is a directory");
        // Taken before this build's own temporary folder exists: what an interrupted earlier build left.
        _leftovers = AtomicDirectory.Leftovers(Target);
        Temp = $"{Target}{AtomicDirectory.TempInfix}{Guid.NewGuid():N}";
        Directory.CreateDirectory(Temp);
    }

    public string Target { get; }

    public string Temp { get; }

    /// <summary>Size and checksum in meta.json, and chunk checksums for checksums.bin (<see cref="IndexIntegrity"/>).</summary>
    private static void Record(IndexMetadata meta, ChecksummedFile file) => IndexIntegrity.Record(meta, file);

    /// <summary>Completes the postings (sentinel, padding, terms.bin) and records the size and checksum of all five files.</summary>
    public void CompleteFiles(IndexMetadata meta, PostingsWriter postings, DocumentIdWriter docIds)
    {
        postings.Complete(Temp, out var termsFile);
        meta.Postings = postings.PostingCount;
        meta.Blocks = postings.BlockCount;
        Record(meta, postings.PostingsFile);
        Record(meta, postings.BlocksFile);
        using (termsFile)
            Record(meta, termsFile);
        Record(meta, docIds.IdsFile);
        Record(meta, docIds.OffsetsFile);
    }

    /// <summary>
    /// Writes meta.json (with the common build fields and <paramref name="buildInfo"/>) and moves the
    /// index into place. <paramref name="beforeMove"/> runs on the complete temporary directory
    /// first (adding a section that is built from the index itself, as approximate search is).
    /// </summary>
    public void Complete(IndexMetadata meta, IReadOnlyDictionary<string, string> buildInfo, Action<string>? beforeMove = null)
    {
        meta.Build["createdUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        meta.Build["software"] = $"disco {typeof(IndexDirectory).Assembly.GetName().Version}";
        foreach (var (k, v) in buildInfo)
            meta.Build[k] = v;
        meta.Write(Path.Combine(Temp, IndexFormat.MetaFile));
        beforeMove?.Invoke(Temp);
        MoveIntoPlace();
        _done = true;
        AtomicDirectory.DeleteLeftovers(_leftovers);
    }

    /// <summary>Deletes the temporary directory unless the index was completed.</summary>
    public void Dispose()
    {
        if (_done)
            return;
        _done = true;
        try
        {
            Directory.Delete(Temp, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>An atomic exchange where the platform has one (docs/index-format.md, "Replacing an index").</summary>
    private void MoveIntoPlace() => IndexSwap.MoveIntoPlace(Temp, Target);
}
