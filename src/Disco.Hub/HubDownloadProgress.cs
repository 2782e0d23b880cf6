namespace Disco.Hub;

/// <summary>Where one file download stands: bytes on disk so far (a resumed download starts above 0) of the announced total.</summary>
public readonly record struct HubDownloadProgress(string RepoId, string File, long BytesDone, long? TotalBytes, bool Done);
