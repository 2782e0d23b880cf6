namespace Disco.Index;

/// <summary>
/// Observes one approximate query (the benchmark's stage profile, docs/benchmarks.md). Search
/// passes <see cref="NoAnnProbe"/>: a struct type argument makes the JIT compile a copy of the
/// search for it, in which its empty calls disappear.
/// </summary>
internal interface IAnnProbe
{
    /// <summary>A stage begins (the previous one ends).</summary>
    void Begin(AnnStage stage);

    /// <summary>One segment read: its postings read in pass 1 and in pass 2, and how many of the latter were added (their document was touched).</summary>
    void Segment(int touching, int adding, int added);
}
