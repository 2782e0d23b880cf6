using Disco.Core;

namespace Disco.Cli;

/// <summary>Options that cannot work together; the CLI exits with code 2.</summary>
public sealed class UsageException : DiscoException
{
    public UsageException() { }

    public UsageException(string message) : base(message) { }

    public UsageException(string message, Exception innerException) : base(message, innerException) { }
}
