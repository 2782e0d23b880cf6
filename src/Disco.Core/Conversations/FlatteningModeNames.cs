namespace Disco.Core.Conversations;

/// <summary>The one table of flattening-mode names (<c>--history</c>, the HTTP API's <c>flatten</c>).</summary>
public static class FlatteningModeNames
{
    private static readonly (FlatteningMode Mode, string Name)[] Table =
    [
        (FlatteningMode.Full, "full"),
        (FlatteningMode.LastQuestion, "last"),
        (FlatteningMode.QuestionsOnly, "questions"),
    ];

    /// <summary>The accepted names in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(e => e.Name)];

    public static string Name(FlatteningMode mode)
    {
        foreach (var (m, name) in Table)
        {
            if (m == mode)
                return name;
        }
        throw new ArgumentOutOfRangeException(nameof(mode));
    }

    /// <summary>The mode called <paramref name="name"/> (exact, lowercase), or null.</summary>
    public static FlatteningMode? Parse(string? name)
    {
        foreach (var (m, n) in Table)
        {
            if (n == name)
                return m;
        }
        return null;
    }
}
