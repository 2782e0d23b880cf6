using Disco.Core;

namespace Disco.Index;

/// <summary>The <c>ann</c> section of meta.json (docs/index-format.md, "Approximate search").</summary>
public sealed class AnnMetadata
{
    public string Format { get; set; } = AnnFormat.FormatName;

    public int Version { get; set; } = AnnFormat.Version;

    /// <summary>Files of this section carry this number in their names, so a rebuild never overwrites files a reader may have open.</summary>
    public int Generation { get; set; } = 1;

    /// <summary>Postings kept per term in the head lists (<see cref="AnnBuildOptions.ListSize"/>).</summary>
    public int ListSize { get; set; }

    /// <summary>Postings in all head lists.</summary>
    public long Heads { get; set; }

    /// <summary>Segments (a term's head postings in one range of 2^16 documents) in all head lists.</summary>
    public long Segments { get; set; }

    /// <summary>Bytes of a term id in the forward index: 2 when the index has at most 65536 terms, else 4.</summary>
    public int TermBytes { get; set; }

    /// <summary>Default of <see cref="ApproximateSearch.Budget"/> for this index.</summary>
    public int DefaultBudget { get; set; }

    /// <summary>Default of <see cref="ApproximateSearch.Terms"/> for this index.</summary>
    public int DefaultTerms { get; set; }

    public double BuildSeconds { get; set; }

    /// <summary>File names of the section by part ("terms", "segments", "heads", "forward", "forwardIndex", and "checksums" in sections written since chunk checksums); sizes and checksums are in <c>files</c>.</summary>
    public Dictionary<string, string> Files { get; set; } = [];

    /// <summary>Whether this disco reads the section (its <see cref="Version"/> is <see cref="AnnFormat.Version"/>).</summary>
    internal bool IsCurrent => Version == AnnFormat.Version;

    /// <summary>Why approximate search cannot use a section of another version, and what to do.</summary>
    internal string Outdated(string directory) =>
        $"{directory}: approximate-search section version {Version} is not supported (this disco reads version {AnnFormat.Version}); rebuild it with `disco index ann {directory}`";

    internal void Validate(string path, IReadOnlyDictionary<string, IndexFileInfo> files)
    {
        if (Format != AnnFormat.FormatName)
            throw new DataFormatException(path, 0, $"unknown approximate-search section \"{Format}\" (expected \"{AnnFormat.FormatName}\")");
        // A section of another version leaves the index usable for exact search; approximate search
        // refuses it (IndexSearcher) and `disco index ann` replaces it.
        if (!IsCurrent)
            return;
        if (Generation < 1 || ListSize < 1 || Heads < 0 || Segments < 0 || Segments > Heads || TermBytes is not (2 or 4) || DefaultBudget < 1 || DefaultTerms < 1)
            throw new DataFormatException(path, 0, "invalid approximate-search section");
        if (IndexSection.MisnamedPart(Files, [.. AnnFormat.Parts.Select(p => p.Part)], part => AnnFormat.FileName(Generation, part), files) is { } part)
            throw new DataFormatException(path, 0, $"the approximate-search section does not name its {part} file");
    }
}
