namespace Disco.Core.Conversations;

/// <summary>
/// The one table of flattening-mode names, for every surface: the CLI's <c>--flatten</c> (and its
/// older <c>--history</c>), configuration files and the HTTP API's <c>flatten</c>. The canonical
/// names are the modes in snake_case (<c>full</c>, <c>last_question</c>, <c>questions_only</c>,
/// as configuration files write them); the short HTTP spellings <c>last</c> and <c>questions</c>
/// and the older CLI values <c>lastquestion</c> and <c>questionsonly</c> are accepted as aliases.
/// </summary>
public static class FlatteningModeNames
{
    private static readonly NameTable<FlatteningMode> Table = new(
    [
        (FlatteningMode.Full, "full"),
        (FlatteningMode.LastQuestion, "last_question"),
        (FlatteningMode.QuestionsOnly, "questions_only"),
    ],
    [
        (FlatteningMode.LastQuestion, "last"),
        (FlatteningMode.QuestionsOnly, "questions"),
        (FlatteningMode.LastQuestion, "lastquestion"),
        (FlatteningMode.QuestionsOnly, "questionsonly"),
    ]);

    /// <summary>The canonical names in table order.</summary>
    public static IReadOnlyList<string> Names => Table.Names;

    /// <summary>The other accepted spellings.</summary>
    public static IReadOnlyList<string> Aliases => Table.Aliases;

    /// <summary>For error messages: "full, last_question or questions_only (also last, questions)".</summary>
    public static string Choices { get; } = $"{string.Join(", ", Names.Take(Names.Count - 1))} or {Names[^1]} (also {Aliases[0]}, {Aliases[1]})";

    /// <summary>The canonical name of <paramref name="mode"/>.</summary>
    public static string Name(FlatteningMode mode) => Table.Name(mode);

    /// <summary>
    /// The mode called <paramref name="name"/>, canonical name or alias, in any letter case and
    /// with <c>-</c> for <c>_</c> (<c>Last-Question</c>); null when it names none.
    /// </summary>
    public static FlatteningMode? Parse(string? name) => Table.Parse(name?.ToLowerInvariant().Replace('-', '_'));
}
