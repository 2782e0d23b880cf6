namespace Disco.Core;

/// <summary>
/// The names of an enum's values on every surface (command line, configuration files, file
/// metadata, HTTP): one canonical name per value, optionally more accepted spellings. The
/// <c>...Names</c> classes (impact encodings, search algorithms, flattening modes) each hold one.
/// </summary>
public sealed class NameTable<T>
    where T : struct, Enum
{
    private readonly (T Value, string Name)[] _names;
    private readonly (T Value, string Name)[] _aliases;

    public NameTable((T Value, string Name)[] names, (T Value, string Name)[]? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = names;
        _aliases = aliases ?? [];
        Names = [.. _names.Select(e => e.Name)];
        Aliases = [.. _aliases.Select(e => e.Name)];
    }

    /// <summary>The canonical names in table order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The other accepted spellings.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The canonical name of <paramref name="value"/>.</summary>
    public string Name(T value)
    {
        foreach (var (v, name) in _names)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
                return name;
        }
        throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>The value called <paramref name="name"/> (exactly, canonical name or alias), or null.</summary>
    public T? Parse(string? name)
    {
        foreach (var (v, n) in _names.Concat(_aliases))
        {
            if (n == name)
                return v;
        }
        return null;
    }
}
