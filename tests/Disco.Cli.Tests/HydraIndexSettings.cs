namespace Disco.Cli.Tests;

/// <summary>A settings class shaped like an index verb's, to check the Hydra mapping in isolation.</summary>
public sealed class HydraIndexSettings
{
    public string? Model { get; set; }

    public string? Collection { get; set; }

    public string? Index { get; set; }

    public int MaxLength { get; set; } = 512;

    public int BatchSize { get; set; } = 8;
}
