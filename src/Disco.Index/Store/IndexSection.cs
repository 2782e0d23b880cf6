using System.Globalization;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Adds (or replaces) an optional section of an index, such as the approximate-search or the
/// block-max structures, built from the index's own postings. The files of a new generation are
/// written beside the index's files, then meta.json is replaced atomically, then the files of the
/// previous generation are deleted: a reader sees the old section or the new one, never a mix, and
/// an interrupted run leaves only unreferenced files, which the next run removes.
/// </summary>
internal static class IndexSection
{
    /// <param name="directory">The index.</param>
    /// <param name="pattern">File name pattern of the section's files (its leftovers are removed).</param>
    /// <param name="filesOf">The section's files named in a meta.json (the previous generation), or null.</param>
    /// <param name="write">Writes the new files through <c>create(name)</c> and returns the section's metadata.</param>
    /// <param name="attach">Puts the section's metadata into meta.json.</param>
    public static IndexMetadata Add<T>(
        string directory,
        string pattern,
        Func<IndexMetadata, IReadOnlyDictionary<string, string>?> filesOf,
        Func<SparseIndex, Func<string, ChecksummedFile>, T> write,
        Action<IndexMetadata, T> attach)
    {
        var written = new List<ChecksummedFile>();
        try
        {
            T section;
            using (var index = SparseIndex.OpenWithoutSections(directory))
            {
                RemoveUnreferenced(directory, index.Metadata, pattern);
                section = write(index, name =>
                {
                    var f = new ChecksummedFile(Path.Combine(directory, name));
                    written.Add(f);
                    return f;
                });
            }
            var meta = IndexMetadata.Read(directory);
            var previous = filesOf(meta)?.Values.ToList() ?? [];
            foreach (var name in previous)
                meta.Files.Remove(name);
            foreach (var f in written)
                meta.Files[Path.GetFileName(f.Path)] = new IndexFileInfo(f.Length, f.Checksum.ToString("x8", CultureInfo.InvariantCulture));
            attach(meta, section);
            foreach (var f in written)
                f.Dispose();
            meta.Write(Path.Combine(directory, IndexFormat.MetaFile));
            foreach (var name in previous)
                TryDelete(Path.Combine(directory, name));
            return meta;
        }
        catch
        {
            foreach (var f in written)
            {
                f.Dispose();
                TryDelete(f.Path);
            }
            throw;
        }
    }

    /// <summary>
    /// Maps the file of a section's <paramref name="part"/> (named in the section's
    /// <paramref name="files"/> and listed in meta.json), adds it to <paramref name="opened"/> for the
    /// caller to dispose on failure, and checks it in full: a section has no chunk checksums
    /// (docs/index-format.md, "Integrity").
    /// </summary>
    public static MappedFile Map(string directory, IndexMetadata meta, IReadOnlyDictionary<string, string> files, string part, string magic, int version, string remedy, List<MappedFile> opened)
    {
        var name = files[part];
        if (!meta.Files.TryGetValue(name, out var info))
            throw new DiscoException($"{Path.Combine(directory, name)}: not listed in meta.json");
        var f = new MappedFile(directory, name, info, magic, version);
        opened.Add(f);
        SparseIndex.Verify(f, meta, remedy);
        return f;
    }

    /// <summary>Removes section files that meta.json does not reference (left by an interrupted run).</summary>
    private static void RemoveUnreferenced(string directory, IndexMetadata meta, string pattern)
    {
        foreach (var path in Directory.EnumerateFiles(directory, pattern))
        {
            if (!meta.Files.ContainsKey(Path.GetFileName(path)))
                TryDelete(path);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
