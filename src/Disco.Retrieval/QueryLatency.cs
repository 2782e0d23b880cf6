namespace Disco.Retrieval;

/// <summary>Time one query spent being encoded and searched, in milliseconds.</summary>
public sealed record QueryLatency(double EncodeMilliseconds, double SearchMilliseconds);
