namespace Disco.Core.Runs;

/// <summary>
/// The one rule for choosing how a run or qrels file is written, and the format names users type.
/// Readers never need it: they tell the layouts apart by the file's first non-blank character.
/// </summary>
public static class RunFormats
{
    /// <summary>
    /// The format to write <paramref name="path"/> in: <paramref name="requested"/> when given,
    /// else JSON for a <c>.json</c> name and TREC for any other.
    /// </summary>
    public static RunFormat ForPath(string path, RunFormat? requested = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return requested ?? (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? RunFormat.Json : RunFormat.Trec);
    }

    /// <summary>The lower-case names <c>trec</c> and <c>json</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["trec", "json"];

    public static RunFormat Parse(string name) => name switch
    {
        "trec" => RunFormat.Trec,
        "json" => RunFormat.Json,
        _ => throw new DiscoException($"unknown run format '{name}' (trec or json)"),
    };
}
