using System.Collections;
using System.Globalization;
using Disco.Core.IO;

namespace Disco.Cli.Configuration;

/// <summary>Where a verb's configuration came from: the Hydra file (after overrides) and the Hydra keys the verb has no option for.</summary>
public sealed record ResolvedConfiguration(string Verb, ConfigTree? Hydra, string? HydraFile, IReadOnlyList<string> SkippedHydraKeys)
{
    public void Save(string directory, ConfigTree values)
    {
        Directory.CreateDirectory(directory);
        var header = string.Create(CultureInfo.InvariantCulture, $"# disco {Verb}, resolved configuration (disco {CommandConfiguration.DiscoVersion}, {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ})\n");
        if (HydraFile is not null)
            header += $"# from Hydra file {HydraFile}\n";
        AtomicFile.WriteAllText(Path.Combine(directory, CommandConfiguration.ResolvedFileName), header + values.ToYaml());
        if (Hydra is not null)
            AtomicFile.WriteAllText(Path.Combine(directory, CommandConfiguration.HydraFileName), Hydra.ToYaml());
    }

    /// <summary>A value as YAML shows it and the options read it back: enums in snake_case, lists as lists.</summary>
    public static object? ToYamlValue(object? value) => value switch
    {
        null => null,
        string s => s,
        Enum e => SnakeCase(e.ToString()),
        FileSystemInfo f => f.ToString(),
        IEnumerable list => list.Cast<object?>().Select(ToYamlValue).ToList(),
        _ => value,
    };

    /// <summary><c>LastQuestion</c> → <c>last_question</c>.</summary>
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
