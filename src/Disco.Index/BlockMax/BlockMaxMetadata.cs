using Disco.Core;

namespace Disco.Index;

/// <summary>The <c>blockMax</c> section of meta.json (docs/index-format.md, "Block-max section").</summary>
public sealed class BlockMaxMetadata
{
    public string Format { get; set; } = BlockMaxFormat.FormatName;

    public int Version { get; set; } = BlockMaxFormat.Version;

    /// <summary>Files of this section carry this number in their names, so a rebuild never overwrites files a reader may have open.</summary>
    public int Generation { get; set; } = 1;

    /// <summary>A block holds 2^BlockBits consecutive documents (<see cref="BlockMaxBuildOptions.BlockBits"/>).</summary>
    public int BlockBits { get; set; }

    /// <summary>Blocks of the collection: ceil(documents / 2^BlockBits).</summary>
    public int Blocks { get; set; }

    /// <summary>(term, block) entries: a term's postings in one block.</summary>
    public long Entries { get; set; }

    /// <summary>Entries of the terms without a dense row: the length of the <c>blocks</c>, <c>maxima</c> and <c>offsets</c> parts.</summary>
    public long RareEntries { get; set; }

    /// <summary>
    /// The section's entries over those expected if the documents were in random order
    /// (Σ_t blocks × (1 − (1 − 1/blocks)^postings_t)): about 1 when blocks hold unrelated documents, lower
    /// when similar documents share blocks, so block maxima are tight. Decides whether the default
    /// algorithm uses block-max search (<see cref="IndexSearcher.AutoUsesBlockMax"/>). Absent in
    /// sections built before it was recorded: then the default does not use the section.
    /// </summary>
    public double? Clustering { get; set; }

    /// <summary>Terms with a dense row of maxima.</summary>
    public int DenseRows { get; set; }

    /// <summary>Bytes of the section's postings (5 per posting).</summary>
    public long PostingBytes { get; set; }

    /// <summary>Default of <see cref="ApproximateSearch.Blocks"/> for this index.</summary>
    public int DefaultBlocks { get; set; }

    public double BuildSeconds { get; set; }

    /// <summary>File names of the section by part (with "checksums" in sections written since chunk checksums); sizes and checksums are in <c>files</c>.</summary>
    public Dictionary<string, string> Files { get; set; } = [];

    /// <summary>Whether this disco reads the section (its <see cref="Version"/> is <see cref="BlockMaxFormat.Version"/>).</summary>
    internal bool IsCurrent => Version == BlockMaxFormat.Version;

    /// <summary>Why block-max search cannot use a section of another version, and what to do.</summary>
    internal string Outdated(string directory) =>
        $"{directory}: block-max section version {Version} is not supported (this disco reads version {BlockMaxFormat.Version}); rebuild it with `disco index blockmax {directory}`";

    internal void Validate(string path, IReadOnlyDictionary<string, IndexFileInfo> files, int documents)
    {
        if (Format != BlockMaxFormat.FormatName)
            throw new DataFormatException(path, 0, $"unknown block-max section \"{Format}\" (expected \"{BlockMaxFormat.FormatName}\")");
        // A section of another version leaves the index usable for the other algorithms; block-max
        // search refuses it (IndexSearcher) and `disco index blockmax` replaces it.
        if (!IsCurrent)
            return;
        if (Generation < 1 || BlockBits is < 0 or > BlockMaxBuildOptions.MaxBlockBits || Blocks != (int)(((long)documents + (1L << BlockBits) - 1) >> BlockBits)
            || Entries < 0 || RareEntries < 0 || RareEntries > Entries || DenseRows < 0 || PostingBytes < 0 || PostingBytes % BlockMaxIndex.PostingBytesEach != 0 || DefaultBlocks < 1 || Clustering is double c && !(c >= 0 && double.IsFinite(c)))
            throw new DataFormatException(path, 0, "invalid block-max section");
        if (IndexSection.MisnamedPart(Files, [.. BlockMaxFormat.Parts.Select(p => p.Part)], part => BlockMaxFormat.FileName(Generation, part), files) is { } part)
            throw new DataFormatException(path, 0, $"the block-max section does not name its {part} file");
    }
}
