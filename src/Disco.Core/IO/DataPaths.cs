namespace Disco.Core.IO;

/// <summary>
/// naver/splade's data layout names folders, not files: <c>data/toy_data/full_collection</c> holds
/// <c>raw.tsv</c>. Readers of texts, queries and triplets accept such a folder and read its <c>raw.tsv</c>.
/// </summary>
public static class DataPaths
{
    /// <summary>The file SPLADE's data folders hold.</summary>
    public const string SpladeRawFile = "raw.tsv";

    /// <summary><paramref name="path"/> itself, or its <c>raw.tsv</c> when it is a folder holding one.</summary>
    public static string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path))
            return path;
        var raw = Path.Combine(path, SpladeRawFile);
        return File.Exists(raw) ? raw : throw new DiscoException($"{path}: is a folder without {SpladeRawFile} (SPLADE's data folders hold raw.tsv); name a file");
    }
}
