namespace Disco.Index;

/// <summary>Size in bytes and CRC-32C (8 hex digits) of one index file, as recorded in meta.json.</summary>
public sealed record IndexFileInfo(long Bytes, string Crc32C);
