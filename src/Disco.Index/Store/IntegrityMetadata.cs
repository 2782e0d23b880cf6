namespace Disco.Index;

/// <summary>
/// The <c>integrity</c> section of meta.json: the files whose chunks have their own CRC-32C in
/// <c>checksums.bin</c> (checked the first time a search touches them), and the chunk size.
/// Absent in indexes written before it existed, which are checked in full when opened.
/// </summary>
public sealed class IntegrityMetadata
{
    /// <summary>Version of this section and of checksums.bin; readers refuse versions they do not know.</summary>
    public int Version { get; set; } = IndexIntegrity.Version;

    public int ChunkBytes { get; set; } = IndexIntegrity.ChunkBytes;

    /// <summary>The files with chunk checksums, in the order their checksums follow each other in checksums.bin.</summary>
    public List<string> Files { get; set; } = [];
}
