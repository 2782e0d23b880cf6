namespace Disco.Core.IO;

/// <summary>
/// Refuses an id seen before in the same file, at the line where it appears again, naming the line
/// of its first appearance: two records with one id would otherwise be merged, mixed or silently
/// dropped by whatever consumes them (runs keyed by query id, evaluation, training pairs).
/// </summary>
public sealed class UniqueIds(string path, string what)
{
    private readonly Dictionary<string, long> _firstLine = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="id"/> at <paramref name="line"/>; throws when it was seen before.</summary>
    public void Add(string id, long line)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_firstLine.TryAdd(id, line))
            throw new DataFormatException(path, line, $"{what} id '{id}' appears again (first on line {_firstLine[id]})");
    }
}
