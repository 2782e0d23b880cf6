using System.Text;
using Microsoft.Extensions.Logging;

namespace Disco.Server;

/// <summary>
/// The library's warning channel (<see cref="Retrieval.ModelLoader.Warnings"/>: one
/// <c>warning: ...</c> line each, what the CLI prints on stderr) as warnings of the server's log,
/// so a served model that loads with a warning says so where an operator looks.
/// </summary>
internal sealed partial class LoggerWarningWriter(ILogger logger) : TextWriter
{
    private const string Prefix = "warning: ";
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
            Flush();
        else if (value != '\r')
            _line.Append(value);
    }

    public override void WriteLine(string? value)
    {
        _line.Append(value);
        Flush();
    }

    public override void Flush()
    {
        if (_line.Length == 0)
            return;
        var text = _line.ToString();
        _line.Clear();
        LogWarning(logger, text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);
}
