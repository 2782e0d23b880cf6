namespace Disco.Server.Api;

/// <summary>The answer of <c>GET /healthz</c>: "ok" once the models and index are loaded, else "loading" (503).</summary>
public sealed record HealthResponse(string Status);
