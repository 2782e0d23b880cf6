using Microsoft.AspNetCore.Http;

namespace Disco.Server;

/// <summary>A request the service answers with an error status: the message is one line for the client, <see cref="Field"/> the JSON path at fault.</summary>
public sealed class RequestException : Exception
{
    public RequestException() : this(StatusCodes.Status400BadRequest, "bad request") { }

    public RequestException(string message) : this(StatusCodes.Status400BadRequest, message) { }

    public RequestException(string message, Exception innerException) : base(message, innerException) => StatusCode = StatusCodes.Status400BadRequest;

    public RequestException(int statusCode, string message, string? field = null) : base(message)
    {
        StatusCode = statusCode;
        Field = field;
    }

    public int StatusCode { get; }

    public string? Field { get; }

    public static RequestException BadField(string field, string problem) => new(StatusCodes.Status400BadRequest, $"{field}: {problem}", field);
}
