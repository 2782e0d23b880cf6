using Disco.Core;

namespace Disco.Hub;

/// <summary>The hub could not be reached at all (no network, DNS, refused connection), as opposed to an answer refusing the request.</summary>
public sealed class HubUnreachableException : DiscoException
{
    public HubUnreachableException() { }

    public HubUnreachableException(string message) : base(message) { }

    public HubUnreachableException(string message, Exception innerException) : base(message, innerException) { }
}
