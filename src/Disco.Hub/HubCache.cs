using System.Text.RegularExpressions;
using Disco.Core;

namespace Disco.Hub;

/// <summary>
/// The HuggingFace hub cache layout, as huggingface_hub writes it:
/// <c>models--org--name/refs/&lt;revision&gt;</c> (a commit hash), <c>blobs/&lt;etag&gt;</c> (file contents),
/// <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c> (symlinks to <c>../../blobs/&lt;etag&gt;</c>) and
/// <c>.no_exist/&lt;commit&gt;/&lt;file&gt;</c> (files known to be absent).
/// </summary>
public sealed partial class HubCache(string cacheDirectory)
{
    public string CacheDirectory { get; } = cacheDirectory;

    /// <summary>True for <c>org/name</c> or <c>name</c> made of the characters the hub allows.</summary>
    public static bool IsRepoId(string value) => value is not null && RepoIdPattern().IsMatch(value) && !value.Contains("--", StringComparison.Ordinal) && !value.Contains("..", StringComparison.Ordinal);

    public static bool IsCommitHash(string revision) => revision is not null && CommitPattern().IsMatch(revision);

    public string RepoFolder(string repoId)
    {
        if (!IsRepoId(repoId))
            throw new DiscoException($"'{repoId}' is neither a directory nor a HuggingFace model id (org/name)");
        return Path.Combine(CacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));
    }

    public string BlobPath(string repoId, string etag) => Path.Combine(RepoFolder(repoId), "blobs", etag);

    public string SnapshotFolder(string repoId, string commit) => Path.Combine(RepoFolder(repoId), "snapshots", commit);

    public string RefPath(string repoId, string revision) => Path.Combine(RepoFolder(repoId), "refs", revision);

    public string NoExistPath(string repoId, string commit, string file) => Path.Combine(RepoFolder(repoId), ".no_exist", commit, file);

    /// <summary>The commit a revision points to in the cache: the content of <c>refs/&lt;revision&gt;</c>, or the revision itself when it is a cached commit.</summary>
    public string? ResolveCommit(string repoId, string revision)
    {
        var refPath = RefPath(repoId, revision);
        if (File.Exists(refPath))
            return File.ReadAllText(refPath).Trim();
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
        var path = Path.Combine(SnapshotFolder(repoId, commit), file);
        return File.Exists(path) ? path : null;
    }

    /// <summary>True when an earlier request found that the file does not exist at this commit.</summary>
    public bool IsKnownMissing(string repoId, string commit, string file) => File.Exists(NoExistPath(repoId, commit, file));

    public void WriteRef(string repoId, string revision, string commit)
    {
        if (revision == commit)
            return;
        var path = RefPath(repoId, revision);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && File.ReadAllText(path).Trim() == commit)
            return;
        File.WriteAllText(path, commit);
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
        var target = Path.Combine(SnapshotFolder(repoId, commit), file);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var blob = BlobPath(repoId, etag);
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

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$")]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
