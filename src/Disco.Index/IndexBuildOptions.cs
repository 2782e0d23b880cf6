namespace Disco.Index;

/// <summary>
/// Options of an index build. <paramref name="SegmentPostings"/> bounds memory: postings are
/// buffered up to that many (about 20 bytes each while sorting) before a segment is flushed to disk.
/// </summary>
public sealed record IndexBuildOptions(
    ImpactEncoding Impacts = ImpactEncoding.Exact,
    long SegmentPostings = IndexBuildOptions.DefaultSegmentPostings)
{
    public const long DefaultSegmentPostings = 8_000_000;
}
