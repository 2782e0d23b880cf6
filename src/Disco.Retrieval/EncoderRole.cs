namespace Disco.Retrieval;

/// <summary>Which side of retrieval an encoder serves; DiSCo trains a separate query encoder.</summary>
public enum EncoderRole
{
    /// <summary>Encodes passages for the index.</summary>
    Document,

    /// <summary>Encodes queries and conversations; in a DiSCo training output, <c>model/query</c>.</summary>
    Query,
}
