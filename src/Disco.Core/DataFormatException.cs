namespace Disco.Core;

/// <summary>Malformed input: the message names the file, the line (1-based, 0 when unknown) and the problem.</summary>
public sealed class DataFormatException : DiscoException
{
    public DataFormatException() { }

    public DataFormatException(string message) : base(message) { }

    public DataFormatException(string message, Exception innerException) : base(message, innerException) { }

    public DataFormatException(string file, long line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
    }

    public string? File { get; }

    public long Line { get; }
}
