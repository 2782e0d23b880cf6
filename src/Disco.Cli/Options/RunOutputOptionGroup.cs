using System.CommandLine;
using Disco.Core.Runs;

namespace Disco.Cli.Options;

/// <summary>
/// Where and how a run is written: <c>--out FILE</c>, <c>--format trec|json</c> (default from the
/// name: <c>.json</c> is JSON, anything else TREC) and <c>--tag</c> (TREC's last column).
/// </summary>
internal sealed class RunOutputOptionGroup
{
    public RunOutputOptionGroup(string outDescription, string defaultTag = Run.DefaultTag)
    {
        Out = new Option<string>("--out", "-o") { Description = outDescription, Required = true };
        Tag = new Option<string>("--tag") { Description = "Run tag (TREC column 6)", DefaultValueFactory = _ => defaultTag };
        Format.AcceptOnlyFromAmong([.. RunFormats.Names]);
    }

    public Option<string> Out { get; }

    public Option<string?> Format { get; } = new("--format") { Description = "trec (qid Q0 docid rank score tag) or json ({qid: {docid: score}}); default from the --out name (.json → json)" };

    public Option<string> Tag { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Out);
        command.Options.Add(Format);
        command.Options.Add(Tag);
    }

    /// <summary>Writes <paramref name="run"/> where and as the options say; returns the path.</summary>
    public string Write(ParseResult parse, Run run)
    {
        var path = parse.GetValue(Out)!;
        run.Write(path, parse.GetValue(Format) is { } f ? RunFormats.Parse(f) : null, parse.GetValue(Tag)!);
        return path;
    }
}
