using System.Globalization;

namespace Disco.Cli.Configuration;

/// <summary>
/// A verb's final settings with where they came from. <see cref="Save"/> writes them beside the
/// verb's output (<c>disco-config.yaml</c>, loadable again with <c>--config</c>), plus the Hydra file
/// after overrides (<c>hydra-config.yaml</c>) when one was used, as DiSCo saves <c>config.yaml</c>.
/// </summary>
public sealed record ResolvedConfiguration<T>(string Verb, T Settings, ConfigTree? Hydra, string? HydraFile, IReadOnlyList<string> SkippedHydraKeys) where T : class
{
    public string ToYaml()
    {
        var header = string.Create(CultureInfo.InvariantCulture, $"# disco {Verb}, resolved configuration (disco {CommandConfiguration.DiscoVersion}, {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ})\n");
        if (HydraFile is not null)
            header += $"# from Hydra file {HydraFile}\n";
        return header + SettingsBinder.ToTree(Settings).ToYaml();
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        CommandConfiguration.WriteAtomically(Path.Combine(directory, CommandConfiguration.ResolvedFileName), ToYaml());
        if (Hydra is not null)
            CommandConfiguration.WriteAtomically(Path.Combine(directory, CommandConfiguration.HydraFileName), Hydra.ToYaml());
    }
}
