using Disco.Core;

namespace Disco.Index;

/// <summary>Two documents of one index have the same external id; the message names the id and both sources.</summary>
public sealed class DuplicateDocumentIdException : DiscoException
{
    public DuplicateDocumentIdException() { }

    public DuplicateDocumentIdException(string message) : base(message) { }

    public DuplicateDocumentIdException(string message, Exception innerException) : base(message, innerException) { }

    public DuplicateDocumentIdException(string id, string firstSource, string secondSource)
        : base($"duplicate document id \"{id}\": {firstSource} and {secondSource}")
    {
        Id = id;
        FirstSource = firstSource;
        SecondSource = secondSource;
    }

    public string? Id { get; }

    public string? FirstSource { get; }

    public string? SecondSource { get; }
}
