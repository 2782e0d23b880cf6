using System.Text;
using System.Text.RegularExpressions;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Hub;

/// <summary>
/// The HuggingFace hub cache layout, as huggingface_hub writes it:
/// <c>models--org--name/refs/&lt;revision&gt;</c> (a commit hash), <c>blobs/&lt;etag&gt;</c> (file contents),
/// <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c> (symlinks to <c>../../blobs/&lt;etag&gt;</c>) and
/// <c>.no_exist/&lt;commit&gt;/&lt;file&gt;</c> (files known to be absent).
/// </summary>
/// <remarks>
/// Commit ids and ETags come from the server and file names from the repository, so none of them
/// is trusted: every path is built only from the hash forms the hub uses (40 hex digits for
/// commits and git blobs, 64 for the sha256 of LFS files) and plain relative file names, and is
/// resolved and checked to lie under the repository's cache folder before anything is written.
/// </remarks>
public sealed partial class HubCache(string cacheDirectory)
{
    public string CacheDirectory { get; } = cacheDirectory;

    /// <summary>True for <c>org/name</c> or <c>name</c> made of the characters the hub allows.</summary>
    public static bool IsRepoId(string value) => value is not null && RepoIdPattern().IsMatch(value) && !value.Contains("--", StringComparison.Ordinal) && !value.Contains("..", StringComparison.Ordinal);

    /// <summary>True for a full git commit id: 40 lowercase hex digits.</summary>
    public static bool IsCommitHash(string revision) => revision is not null && CommitPattern().IsMatch(revision);

    /// <summary>True for the names the hub gives blobs: a git blob id (40 lowercase hex digits) or the sha256 of an LFS file (64).</summary>
    public static bool IsBlobHash(string etag) => etag is not null && BlobPattern().IsMatch(etag);

    /// <summary>A relative path of plain names (see <see cref="RelativePaths.IsPlain"/>).</summary>
    public static bool IsSafeRelativePath(string path) => RelativePaths.IsPlain(path);

    public string RepoFolder(string repoId)
    {
        if (!IsRepoId(repoId))
            throw new DiscoException($"'{repoId}' is neither a directory nor a HuggingFace model id (org/name)");
        return Under(CacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));
    }

    public string BlobPath(string repoId, string etag)
    {
        if (!IsBlobHash(etag))
            throw new DiscoException($"refusing blob name '{Printable(etag)}' for '{repoId}': the hub names blobs by 40 or 64 hex digits");
        return Under(RepoFolder(repoId), Path.Combine("blobs", etag));
    }

    public string SnapshotFolder(string repoId, string commit)
        => Under(RepoFolder(repoId), Path.Combine("snapshots", CheckCommit(repoId, commit)));

    /// <summary>The path of a repository file inside a snapshot.</summary>
    public string SnapshotFile(string repoId, string commit, string file)
        => Under(SnapshotFolder(repoId, commit), CheckFile(repoId, file));

    public string RefPath(string repoId, string revision)
    {
        // Branch and tag names may hold slashes (refs/pr/1 is stored as refs/refs/pr/1, as
        // huggingface_hub does), never a path that leaves refs/.
        if (!IsSafeRelativePath(revision))
            throw new DiscoException($"'{Printable(revision)}' is not a valid revision of '{repoId}'");
        return Under(RepoFolder(repoId), Path.Combine("refs", revision));
    }

    public string NoExistPath(string repoId, string commit, string file)
        => Under(RepoFolder(repoId), Path.Combine(".no_exist", CheckCommit(repoId, commit), CheckFile(repoId, file)));

    /// <summary>The commit a revision points to in the cache: the content of <c>refs/&lt;revision&gt;</c>, or the revision itself when it is a cached commit.</summary>
    public string? ResolveCommit(string repoId, string revision)
    {
        var refPath = RefPath(repoId, revision);
        if (File.Exists(refPath))
        {
            var commit = File.ReadAllText(refPath).Trim();
            if (!IsCommitHash(commit))
                throw new DiscoException($"{refPath}: holds '{Printable(commit)}', not a commit id (40 hex digits); delete the file to fetch the revision again");
            return commit;
        }
        if (IsCommitHash(revision) && Directory.Exists(SnapshotFolder(repoId, revision)))
            return revision;
        return null;
    }

    /// <summary>The cached path of a file at a revision, or null when it is not in the cache.</summary>
    public string? TryGetFile(string repoId, string revision, string file)
    {
        var commit = ResolveCommit(repoId, revision);
        if (commit is null)
            return null;
        var path = SnapshotFile(repoId, commit, file);
        return File.Exists(path) ? path : null;
    }

    public void WriteRef(string repoId, string revision, string commit)
    {
        CheckCommit(repoId, commit);
        if (revision == commit)
            return;
        var path = RefPath(repoId, revision);
        if (File.Exists(path) && File.ReadAllText(path).Trim() == commit)
            return;
        AtomicFile.WriteAllText(path, commit);
    }

    public void MarkMissing(string repoId, string commit, string file)
    {
        var path = NoExistPath(repoId, commit, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    /// <summary>
    /// Points <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c> at the blob with a relative symlink, as
    /// huggingface_hub does; where symlinks are not allowed the blob is copied instead.
    /// </summary>
    public string LinkSnapshotFile(string repoId, string commit, string file, string etag)
    {
        var target = SnapshotFile(repoId, commit, file);
        var blob = BlobPath(repoId, etag);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        if (File.Exists(target) || new FileInfo(target).LinkTarget is not null)
            File.Delete(target);
        try
        {
            File.CreateSymbolicLink(target, Path.GetRelativePath(folder, blob));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(blob, target, overwrite: true);
        }
        return target;
    }

    /// <summary>A value from a server or a file, cut and with control characters escaped, for an error message.</summary>
    public static string Printable(string? value)
    {
        if (value is null)
            return "";
        var text = new StringBuilder();
        foreach (var c in value.Length > 80 ? value[..80] : value)
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return value.Length > 80 ? text.Append("...").ToString() : text.ToString();
    }

    private static string CheckCommit(string repoId, string commit)
        => IsCommitHash(commit) ? commit : throw new DiscoException($"refusing commit id '{Printable(commit)}' for '{repoId}': the hub's commit ids are 40 hex digits");

    private static string CheckFile(string repoId, string file)
        => IsSafeRelativePath(file) ? file : throw new DiscoException($"refusing file name '{Printable(file)}' in '{repoId}': not a plain relative path");

    /// <summary>
    /// <paramref name="relative"/> under <paramref name="root"/>, resolved to a full path and
    /// checked to stay inside it; the names above are already checked, this is the last guard.
    /// </summary>
    private static string Under(string root, string relative)
    {
        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        var prefix = Path.EndsInDirectorySeparator(fullRoot) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
            throw new DiscoException($"refusing cache path '{Printable(relative)}': it leaves {fullRoot}");
        return full;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?\\z")]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}\\z")]
    private static partial Regex CommitPattern();

    [GeneratedRegex("^(?:[0-9a-f]{40}|[0-9a-f]{64})\\z")]
    private static partial Regex BlobPattern();
}
