using System.CommandLine;
using System.Reflection;
using Disco.Core.IO;

namespace Disco.Cli.Configuration;

/// <summary>
/// The configuration options every verb shares: <c>--config FILE</c> (disco YAML), repeatable
/// <c>--set key=value</c>, and Hydra compatibility — <c>--config-name FILE</c>, <c>--config-path DIR</c>
/// and bare <c>a.b.c=value</c> / <c>+a.b=value</c> overrides — so DiSCo's and SPLADE's commands
/// run unchanged. Precedence, lowest first: the settings class's defaults, the Hydra file with its
/// overrides, <c>--config</c>, <c>--set</c>, then the verb's own flags.
/// </summary>
public sealed class CommandConfiguration
{
    public const string ResolvedFileName = "disco-config.yaml";
    public const string HydraFileName = "hydra-config.yaml";

    public Option<string?> ConfigFile { get; } = new("--config") { Description = "YAML file of settings for this verb (keys as in the saved disco-config.yaml)" };

    public Option<string[]> Set { get; } = new("--set") { Description = "Override one setting: --set key=value (repeatable)", AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> ConfigName { get; } = new("--config-name") { Description = "A DiSCo/SPLADE Hydra YAML file (sections config, data, init_dict, hf)" };

    public Option<string?> ConfigPath { get; } = new("--config-path") { Description = "Folder holding --config-name (default: the current folder, then conf/)" };

    public Argument<string[]> Overrides { get; } = new("overrides") { Description = "Hydra-style overrides: a.b.c=value, +a.b=value", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(ConfigFile);
        command.Options.Add(Set);
        command.Options.Add(ConfigName);
        command.Options.Add(ConfigPath);
        command.Arguments.Add(Overrides);
    }

    /// <summary>Resolves the settings of <paramref name="verb"/>; <paramref name="applyFlags"/> applies the flags given explicitly.</summary>
    public ResolvedConfiguration<T> Resolve<T>(ParseResult parse, string verb, Action<T>? applyFlags = null) where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(parse);
        var tree = SettingsBinder.ToTree(new T());
        var known = SettingsBinder.Properties(typeof(T)).Select(SettingsBinder.KeyOf).ToHashSet(StringComparer.Ordinal);
        var bare = (parse.GetValue(Overrides) ?? []).Select(ConfigOverride.Parse).ToList();
        ConfigTree? hydra = null;
        var skipped = new List<string>();
        var hydraFile = HydraFile(parse.GetValue(ConfigName), parse.GetValue(ConfigPath), bare.Count > 0);
        if (hydraFile is not null)
        {
            hydra = HydraComposition.Load(hydraFile, bare);
            foreach (var o in bare)
                o.ApplyTo(hydra, strict: true);
            Merge(tree, HydraKeyMap.Map(hydra, verb, known, skipped));
        }
        else
        {
            // Without a Hydra file, bare key=value words are disco settings, like --set.
            foreach (var o in bare)
                o.ApplyTo(tree, strict: false);
        }
        if (parse.GetValue(ConfigFile) is { } file)
            Merge(tree, ConfigTree.Load(file));
        foreach (var raw in parse.GetValue(Set) ?? [])
            ConfigOverride.Parse(raw).ApplyTo(tree, strict: false);
        var settings = SettingsBinder.Bind<T>(tree);
        applyFlags?.Invoke(settings);
        return new ResolvedConfiguration<T>(verb, settings, hydra, hydraFile, skipped);
    }

    private static void Merge(ConfigTree target, ConfigTree source)
    {
        foreach (var (key, value) in source.Leaves())
            target.Set(key, value);
    }

    /// <summary>
    /// Finds the Hydra file as DiSCo's launcher does: <c>--config-name</c> (with <c>--config-path</c>,
    /// or the current folder, or <c>conf/</c>; ".yaml" optional), else SPLADE_CONFIG_FULLPATH or
    /// SPLADE_CONFIG_NAME when Hydra overrides are given.
    /// </summary>
    public static string? HydraFile(string? name, string? folder, bool haveOverrides)
    {
        if (name is null)
        {
            if (!haveOverrides)
                return null;
            if (Environment.GetEnvironmentVariable("SPLADE_CONFIG_FULLPATH") is { Length: > 0 } full)
                return full;
            name = Environment.GetEnvironmentVariable("SPLADE_CONFIG_NAME");
            if (string.IsNullOrEmpty(name))
                return null;
        }
        var candidates = new List<string>();
        foreach (var dir in folder is null ? new[] { ".", "conf" } : [folder])
        {
            candidates.Add(Path.Combine(dir, name));
            if (!name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                candidates.Add(Path.Combine(dir, name + ".yaml"));
        }
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new UsageException($"configuration '{name}' not found (looked for {string.Join(", ", candidates)})");
    }

    /// <summary>The version written into saved configurations.</summary>
    public static string DiscoVersion => typeof(CommandConfiguration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    internal static void WriteAtomically(string path, string contents) => AtomicFile.WriteAllText(path, contents);
}
