namespace Disco.Core;

/// <summary>An error the user can act on; the CLI prints its message as one line.</summary>
public class DiscoException : Exception
{
    public DiscoException() { }

    public DiscoException(string message) : base(message) { }

    public DiscoException(string message, Exception innerException) : base(message, innerException) { }
}
