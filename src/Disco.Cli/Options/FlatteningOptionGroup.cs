using System.CommandLine;
using System.CommandLine.Parsing;
using Disco.Core.Conversations;

namespace Disco.Cli.Options;

/// <summary>
/// How conversations become query text: <c>--flatten full|last_question|questions_only</c> (the
/// canonical names of <see cref="FlatteningModeNames"/>, which configuration files and the HTTP
/// API share, aliases included) and <c>--max-turns N</c>. Older option names stay hidden:
/// <c>--history</c>, <c>--max-previous-turns</c>.
/// </summary>
internal sealed class FlatteningOptionGroup
{
    private static readonly FlatteningOptions Defaults = new();

    public FlatteningOptionGroup()
    {
        Mode = new AliasedOption<FlatteningMode>(
            new Option<FlatteningMode>("--flatten")
            {
                Description = "Conversation flattening: full (q_n [SEP] a_n-1 [SEP] q_n-1 ..., DiSCo), last_question (q_n only) or questions_only (aliases: last, questions)",
                DefaultValueFactory = _ => Defaults.Mode,
                CustomParser = Parse,
            },
            "--history");
        MaxTurns = new AliasedOption<int?>(new Option<int?>("--max-turns") { Description = "Keep only the newest N previous turns of a conversation" }, "--max-previous-turns");
    }

    public AliasedOption<FlatteningMode> Mode { get; }

    public AliasedOption<int?> MaxTurns { get; }

    public void AddTo(Command command)
    {
        Mode.AddTo(command);
        MaxTurns.AddTo(command);
    }

    public FlatteningOptions Build(ParseResult parse)
    {
        var maxTurns = MaxTurns.Get(parse);
        if (maxTurns is < 0)
            throw new UsageException("--max-turns must not be negative");
        return new FlatteningOptions(Mode.Get(parse), maxTurns);
    }

    private static FlatteningMode Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (FlatteningModeNames.Parse(text) is { } mode)
            return mode;
        result.AddError($"'{text}' is not a flattening: {FlatteningModeNames.Choices}");
        return default;
    }
}
