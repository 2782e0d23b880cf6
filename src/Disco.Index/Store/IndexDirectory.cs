using System.Globalization;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Where an index is written and how it replaces an older one: everything goes into a sibling
/// <c>DIR.tmp-&lt;guid&gt;</c>, checksums.bin and meta.json last, and only a complete index is moved to <c>DIR</c>.
/// Shared by every writer (build, import, merge) so they all leave nothing half-written at DIR.
/// </summary>
internal sealed class IndexDirectory : IDisposable
{
    private bool _done;

    public IndexDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Target = Path.GetFullPath(directory.TrimEnd('/', '\\'));
        if (Directory.Exists(Target) && Directory.EnumerateFileSystemEntries(Target).Any()
            && !File.Exists(Path.Combine(Target, IndexFormat.MetaFile)))
            throw new DiscoException($"{directory}: exists and is not a Disco index; refusing to replace it");
        if (File.Exists(Target))
            throw new DiscoException($"{directory}: is a file; the index is a directory");
        Temp = $"{Target}.tmp-{Guid.NewGuid():N}";
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

    /// <summary>Writes meta.json (with the common build fields and <paramref name="buildInfo"/>) and moves the index into place.</summary>
    public void Complete(IndexMetadata meta, IReadOnlyDictionary<string, string> buildInfo)
    {
        meta.Build["createdUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        meta.Build["software"] = $"disco {typeof(IndexDirectory).Assembly.GetName().Version}";
        foreach (var (k, v) in buildInfo)
            meta.Build[k] = v;
        meta.Write(Path.Combine(Temp, IndexFormat.MetaFile));
        MoveIntoPlace();
        _done = true;
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
