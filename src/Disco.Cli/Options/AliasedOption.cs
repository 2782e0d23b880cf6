using System.CommandLine;

namespace Disco.Cli.Options;

/// <summary>
/// An option under its one spelling, plus hidden options under the spellings older command
/// lines used, so they keep working without showing in help. The canonical spelling wins when
/// both are given.
/// </summary>
internal sealed class AliasedOption<T>
{
    public AliasedOption(Option<T> canonical, params string[] hiddenAliases)
    {
        Canonical = canonical;
        Hidden = [.. hiddenAliases.Select(alias => new Option<T>(alias)
        {
            Hidden = true,
            Description = $"Old spelling of {canonical.Name}",
            CustomParser = canonical.CustomParser,
            AllowMultipleArgumentsPerToken = canonical.AllowMultipleArgumentsPerToken,
        })];
    }

    public Option<T> Canonical { get; }

    public IReadOnlyList<Option<T>> Hidden { get; }

    public string Name => Canonical.Name;

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Canonical);
        foreach (var o in Hidden)
            command.Options.Add(o);
    }

    /// <summary>The canonical value when given, else a hidden spelling's, else the canonical default.</summary>
    public T Get(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetResult(Canonical) is { Implicit: false })
            return parse.GetValue(Canonical)!;
        foreach (var o in Hidden)
        {
            if (parse.GetResult(o) is { Implicit: false })
                return parse.GetValue(o)!;
        }
        return parse.GetValue(Canonical)!;
    }

    /// <summary>True when any spelling was given on the command line.</summary>
    public bool Given(ParseResult parse) => parse.GetResult(Canonical) is { Implicit: false } || Hidden.Any(o => parse.GetResult(o) is { Implicit: false });
}
