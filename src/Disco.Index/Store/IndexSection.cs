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
internal static unsafe class IndexSection
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

    /// <summary>The part of a section holding the chunk checksums of its other files (docs/index-format.md, "Integrity").</summary>
    public const string ChecksumsPart = "checksums";

    public const string ChecksumsMagic = "DSCSCHKS";

    /// <summary>Version of a section's checksums file (its layout is that of checksums.bin).</summary>
    public const int ChecksumsVersion = 1;

    /// <summary>
    /// Writes the chunk checksums of a section's completed <paramref name="files"/>, in part order,
    /// into <paramref name="into"/> and completes it: readers then check each chunk of those files
    /// the first time they read it, instead of every file in full at every open.
    /// </summary>
    public static void WriteChecksums(ChecksummedFile into, IEnumerable<ChecksummedFile> files)
    {
        into.Write(IndexFormat.Header(ChecksumsMagic, ChecksumsVersion));
        foreach (var f in files)
        {
            foreach (var crc in f.ChunkChecksums)
                into.WriteInt32(unchecked((int)crc));
        }
        into.Complete();
    }

    /// <summary>
    /// Maps every part of a section (named in the section's <paramref name="files"/> and listed in
    /// meta.json, with <paramref name="parts"/>' magics and <paramref name="version"/>), adding each to
    /// <paramref name="opened"/> for the caller to dispose on failure, and gives each a check of its
    /// chunks. With a checksums part, chunks are checked the first time they are read (the caller
    /// ensures every read), so opening reads none of the section's payload; a section written before
    /// checksums parts existed, and every section under <paramref name="verifyAll"/>, is checked in
    /// full now against meta.json.
    /// </summary>
    public static Dictionary<string, SectionFile> Open(
        string directory, IndexMetadata meta, IReadOnlyDictionary<string, string> files, IEnumerable<(string Part, string Magic)> parts, int version, string remedy, bool verifyAll, List<MappedFile> opened)
    {
        var mapped = new List<(string Part, MappedFile File)>();
        foreach (var (part, magic) in parts)
        {
            var name = files[part];
            if (!meta.Files.TryGetValue(name, out var info))
                throw new DiscoException($"{Path.Combine(directory, name)}: not listed in meta.json");
            var f = new MappedFile(directory, name, info, magic, version, remedy);
            opened.Add(f);
            mapped.Add((part, f));
        }
        Dictionary<string, uint[]>? chunks = null;
        string? source = null;
        if (files.TryGetValue(ChecksumsPart, out source))
        {
            var path = Path.Combine(directory, source);
            var info = meta.Files.GetValueOrDefault(source) ?? throw new DiscoException($"{path}: not listed in meta.json");
            chunks = IndexIntegrity.ParseChunks(path, IndexIntegrity.ReadVerified(path, info, remedy), ChecksumsMagic, ChecksumsVersion, mapped.Select(m => (m.Part, m.File.Length)), remedy);
        }
        var result = new Dictionary<string, SectionFile>(StringComparer.Ordinal);
        foreach (var (part, f) in mapped)
        {
            var start = f.Data - IndexFormat.HeaderBytes;
            ChunkVerifier check;
            if (chunks is null)
            {
                SparseIndex.Verify(f, meta, remedy);
                check = ChunkVerifier.AllVerified(start, f.Length, f.Path);
            }
            else
            {
                check = new ChunkVerifier(start, f.Length, chunks[part], f.Path, source!, remedy);
                if (verifyAll)
                {
                    SparseIndex.Verify(f, meta, remedy);
                    check.MarkAllVerified();
                }
            }
            result[part] = new SectionFile(f, check);
        }
        return result;
    }

    /// <summary>
    /// The first part a section's <paramref name="sectionFiles"/> fail to name correctly, or null:
    /// every one of <paramref name="parts"/> and at most a checksums part, each named
    /// <paramref name="fileName"/>(part) and listed in meta.json's <paramref name="files"/>.
    /// </summary>
    public static string? MisnamedPart(IReadOnlyDictionary<string, string> sectionFiles, IReadOnlyCollection<string> parts, Func<string, string> fileName, IReadOnlyDictionary<string, IndexFileInfo> files)
    {
        foreach (var part in parts)
        {
            if (!sectionFiles.ContainsKey(part))
                return part;
        }
        foreach (var (part, name) in sectionFiles)
        {
            if ((part != ChecksumsPart && !parts.Contains(part)) || name != fileName(part) || !files.ContainsKey(name))
                return part;
        }
        return null;
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
