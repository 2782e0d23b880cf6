using System.Collections;
using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Disco.Cli.Configuration;

/// <summary>
/// The one configuration mechanism of every verb: <c>--config FILE</c> (disco YAML), repeatable
/// <c>--set key=value</c>, and Hydra compatibility — <c>--config-name FILE</c>, <c>--config-path DIR</c>
/// and bare <c>a.b.c=value</c> / <c>+a.b=value</c> overrides — so DiSCo's and SPLADE's command
/// lines run unchanged. A key is an option's name in snake_case (<c>--top-k</c> → <c>top_k</c>; old
/// spellings too); a value stands for that option when the command line does not give it.
/// Precedence, lowest first: the option's default, the Hydra file with its overrides,
/// <c>--config</c>, <c>--set</c>, then the flags on the command line.
/// </summary>
public static class CommandConfiguration
{
    public const string ResolvedFileName = "disco-config.yaml";
    public const string HydraFileName = "hydra-config.yaml";

    private const string ConfigOption = "--config";
    private const string SetOption = "--set";
    private const string ConfigNameOption = "--config-name";
    private const string ConfigPathOption = "--config-path";
    private const string OverridesArgument = "overrides";

    private static readonly ConditionalWeakTable<ParseResult, ResolvedConfiguration> Resolved = [];

    /// <summary>Keys of configurations saved by earlier disco versions (settings classes) → today's option keys.</summary>
    private static readonly Dictionary<string, string> FormerKeys = new(StringComparer.Ordinal)
    {
        ["names"] = "name",
        ["metrics"] = "measure",
        ["relevance_threshold"] = "relevance_level",
        ["learning_rate"] = "lr",
    };

    /// <summary>Adds the configuration options to <paramref name="command"/> and every subcommand that has an action.</summary>
    public static void AddToAll(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Action is not null && !command.Options.Any(o => o.Name == ConfigOption))
            AddTo(command);
        foreach (var sub in command.Subcommands)
            AddToAll(sub);
    }

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(new Option<string?>(ConfigOption) { Description = "YAML file of settings for this verb (keys are option names in snake_case, as in a saved disco-config.yaml)" });
        command.Options.Add(new Option<string[]>(SetOption) { Description = "Set one option: --set key=value (repeatable)", Arity = ArgumentArity.ZeroOrMore });
        command.Options.Add(new Option<string?>(ConfigNameOption) { Description = "A DiSCo/SPLADE Hydra YAML file (sections config, data, init_dict, hf)" });
        command.Options.Add(new Option<string?>(ConfigPathOption) { Description = "Folder holding --config-name (default: the current folder, then conf/)" });
        command.Arguments.Add(new Argument<string[]>(OverridesArgument) { Description = "Hydra-style overrides: a.b.c=value, +a.b=value", Arity = ArgumentArity.ZeroOrMore });
    }

    /// <summary>
    /// The parse of <paramref name="args"/> with the configuration applied: when the verb was given
    /// a configuration, its values become option tokens for the options not on the command line,
    /// and the words are parsed again (so a configured value is checked like a typed one, and a
    /// required option may come from the file). Without configuration, <paramref name="parse"/> itself.
    /// </summary>
    public static ParseResult Apply(ParseResult parse, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(args);
        var command = parse.CommandResult.Command;
        if (!command.Options.Any(o => o.Name == ConfigOption))
            return parse;
        var verb = VerbPath(command);
        var options = OptionsByKey(command);
        var bare = (parse.GetValue<string[]>(OverridesArgument) ?? []).Select(ConfigOverride.Parse).ToList();
        var tree = new ConfigTree();
        ConfigTree? hydra = null;
        var skipped = new List<string>();
        var hydraFile = HydraFile(parse.GetValue<string?>(ConfigNameOption), parse.GetValue<string?>(ConfigPathOption), bare.Count > 0);
        if (hydraFile is not null)
        {
            hydra = HydraComposition.Compose(hydraFile, bare);
            Merge(tree, HydraKeyMap.Map(hydra, verb, options.Keys.ToHashSet(StringComparer.Ordinal), skipped));
        }
        else
        {
            // Without a Hydra file, bare key=value words are disco settings, like --set.
            foreach (var o in bare)
                o.ApplyTo(tree, strict: false);
        }
        var configFile = parse.GetValue<string?>(ConfigOption);
        var sets = parse.GetValue<string[]>(SetOption) ?? [];
        if (hydraFile is null && bare.Count == 0 && configFile is null && sets.Length == 0)
            return parse;
        if (configFile is not null)
            Merge(tree, ConfigTree.Load(configFile));
        foreach (var raw in sets)
            ConfigOverride.Parse(raw).ApplyTo(tree, strict: false);
        // One entry per option: a later key for the same option (an old spelling) replaces an earlier one.
        var values = new Dictionary<Option, List<string>>();
        foreach (var (key, value) in tree.Leaves())
        {
            if (!options.TryGetValue(key, out var option))
                throw new UsageException($"unknown configuration key '{key}' for disco {verb}; known keys: {string.Join(", ", options.Keys.Order(StringComparer.Ordinal))}");
            if (parse.GetResult(option) is { Implicit: false } || value is null)
                continue;
            var texts = new List<string>();
            foreach (var item in Flatten(value))
            {
                if (item is IDictionary)
                    throw new UsageException($"{key}: expected a value, found a map");
                texts.Add(ConfigTree.ScalarText(item) ?? throw new UsageException($"{key}: null inside a list"));
            }
            values[option] = texts;
        }
        var tokens = values.SelectMany(p => p.Value.SelectMany(text => new[] { p.Key.Name, text })).ToList();
        var result = tokens.Count == 0 ? parse : parse.RootCommandResult.Command.Parse([.. args, .. tokens]);
        // Errors the command line alone did not have come from configured values: say so.
        var before = parse.Errors.Select(e => e.Message).ToHashSet(StringComparer.Ordinal);
        if (result.Errors.FirstOrDefault(e => !before.Contains(e.Message)) is { } error)
            throw new UsageException($"in the configuration of disco {verb}: {error.Message}");
        Resolved.AddOrUpdate(result, new ResolvedConfiguration(verb, hydra, hydraFile, skipped));
        return result;
    }

    /// <summary>Where the configuration of a parse applied by <see cref="Apply"/> came from; null when it had none.</summary>
    public static ResolvedConfiguration? Resolution(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Resolved.TryGetValue(parse, out var resolved) ? resolved : null;
    }

    /// <summary>
    /// Writes the verb's effective option values to <c>DIR/disco-config.yaml</c> (loadable again with
    /// <c>--config</c>) and, when a Hydra file was used, that file after its overrides to
    /// <c>DIR/hydra-config.yaml</c>, as DiSCo saves <c>config.yaml</c>.
    /// </summary>
    public static void Save(ParseResult parse, string directory)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        Resolved.TryGetValue(parse, out var resolved);
        resolved ??= new ResolvedConfiguration(VerbPath(command), null, null, []);
        var values = new ConfigTree();
        foreach (var option in command.Options.Where(IsSetting))
            values.Root[KeyOf(option.Name)] = ResolvedConfiguration.ToYamlValue(parse.GetValue<object?>(option.Name));
        // A positional argument is saved under its name when given (an option of that name reads it back).
        foreach (var argument in command.Arguments.Where(a => a.Name != OverridesArgument))
        {
            if (parse.GetValue<object?>(argument.Name) is { } value)
                values.Root[KeyOf(argument.Name)] = ResolvedConfiguration.ToYamlValue(value);
        }
        resolved.Save(directory, values);
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

    /// <summary><c>--top-k</c> → <c>top_k</c>.</summary>
    public static string KeyOf(string optionName)
    {
        ArgumentNullException.ThrowIfNull(optionName);
        return optionName.TrimStart('-').Replace('-', '_');
    }

    /// <summary>The version written into saved configurations.</summary>
    public static string DiscoVersion => typeof(CommandConfiguration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The verb as typed after <c>disco</c>: <c>index</c>, <c>index stats</c>, <c>train disco</c>.</summary>
    private static string VerbPath(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null && c is not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(' ', names);
    }

    private static Dictionary<string, Option> OptionsByKey(Command command)
    {
        var byKey = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var option in command.Options.Where(IsSetting))
        {
            foreach (var name in option.Aliases.Prepend(option.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)))
                byKey.TryAdd(KeyOf(name), option);
        }
        foreach (var (former, key) in FormerKeys)
        {
            if (byKey.TryGetValue(key, out var option))
                byKey.TryAdd(former, option);
        }
        return byKey;
    }

    private static bool IsSetting(Option option) =>
        option.Name is not (ConfigOption or SetOption or ConfigNameOption or ConfigPathOption) && !option.Recursive && option is not System.CommandLine.Help.HelpOption && option is not VersionOption;

    private static IEnumerable<object?> Flatten(object? value)
    {
        if (value is IList list)
        {
            foreach (var item in list)
            {
                foreach (var inner in Flatten(item))
                    yield return inner;
            }
        }
        else
        {
            yield return value;
        }
    }

    private static void Merge(ConfigTree target, ConfigTree source)
    {
        foreach (var (key, value) in source.Leaves())
            target.Set(key, value);
    }
}
