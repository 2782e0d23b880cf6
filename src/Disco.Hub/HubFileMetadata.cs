namespace Disco.Hub;

/// <summary>
/// What the hub's resolve endpoint says about a file: the commit the revision points to
/// (X-Repo-Commit), the ETag naming the blob (X-Linked-Etag for LFS files, whose value is the
/// content's sha256), the size, and where to download it from (the CDN for LFS files).
/// </summary>
public sealed record HubFileMetadata(string Commit, string Etag, long? Size, Uri DownloadUri)
{
    /// <summary>LFS files are named by the sha256 of their content (64 hex digits); git files by a sha1.</summary>
    public bool IsLfs => Etag.Length == 64 && Etag.All(char.IsAsciiHexDigitLower);
}
