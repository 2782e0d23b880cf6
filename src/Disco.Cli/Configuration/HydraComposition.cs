using System.Collections;
using System.Globalization;

namespace Disco.Cli.Configuration;

/// <summary>
/// Hydra's <c>defaults:</c> composition (Hydra 1.1 semantics), as naver/splade's <c>conf/</c> folder
/// uses it: a primary file lists config-group choices (<c>- train/config: splade_toy</c>,
/// <c>- index: toy</c>), each loaded from <c>ROOT/group/option.yaml</c> (ROOT: the primary file's
/// folder) and merged at its package — the file's <c># @package X</c> header (<c>_global_</c> is the
/// root, <c>_group_</c> the group path), else the group path. Entries are merged in order, the
/// config's own keys where <c>_self_</c> stands or, without it, last (so the primary file overrides
/// its defaults); maps merge deeply, lists and scalars replace. Group files may have defaults of
/// their own (relative to their group; <c>/g</c> is absolute). Supported entry forms:
/// <c>g: opt</c>, <c>g: [a, b]</c>, <c>g: null</c> (nothing), <c>g@pkg: opt</c>,
/// <c>optional g: opt</c>, <c>override g: opt</c>, a plain <c>name</c> (a file of the same group),
/// <c>_self_</c>. Command-line words <c>g=opt</c> (where <c>ROOT/g/opt.yaml</c> exists) and
/// <c>+g=opt</c> choose group options and are removed from the overrides. <see cref="Compose"/>
/// then applies the other overrides and resolves interpolations (<see cref="ConfigInterpolation"/>).
/// </summary>
public static class HydraComposition
{
    private const string DefaultsKey = "defaults";
    private const string Self = "_self_";
    private const string Global = "_global_";

    /// <summary>
    /// Loads <paramref name="path"/> and composes its defaults list. Group choices among
    /// <paramref name="overrides"/> are applied and removed from the list; the rest are left for the caller.
    /// </summary>
    public static ConfigTree Load(string path, List<ConfigOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(overrides);
        var root = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var choices = new Dictionary<string, string>(StringComparer.Ordinal);
        var added = new List<(string Group, string Option)>();
        for (var i = overrides.Count - 1; i >= 0; i--)
        {
            var o = overrides[i];
            var group = o.Key.Trim('/');
            if (o.Key.Contains('.', StringComparison.Ordinal) || !Directory.Exists(Path.Combine(root, group)))
                continue;
            var option = o.RawValue.Trim();
            if (!File.Exists(OptionFile(root, group, option)))
                throw new UsageException($"{o.Key}={o.RawValue}: no option '{option}' in config group '{group}' (no {OptionFile(root, group, option)})");
            if (o.Add)
                added.Insert(0, (group, option));
            else
                choices[group] = option;
            overrides.RemoveAt(i);
        }
        var state = new State(root, choices);
        var result = state.Compose(path, group: "", package: "", extra: added);
        foreach (var group in choices.Keys)
        {
            if (!state.Used.Contains(group))
                throw new UsageException($"{group}=...: config group '{group}' is not in the defaults of {path}; write +{group}=... to add it");
        }
        return new ConfigTree(result);
    }

    /// <summary>
    /// The configuration a Hydra application sees: <paramref name="path"/> composed (<see cref="Load"/>),
    /// the remaining <paramref name="overrides"/> applied (a key the file lacks needs <c>+</c>), and
    /// every <c>${...}</c> interpolation resolved.
    /// </summary>
    public static ConfigTree Compose(string path, List<ConfigOverride> overrides)
    {
        var tree = Load(path, overrides);
        foreach (var o in overrides)
            o.ApplyTo(tree, strict: true);
        ConfigInterpolation.Resolve(tree, path);
        return tree;
    }

    private static string OptionFile(string root, string group, string option) =>
        Path.Combine(root, group, option.EndsWith(".yaml", StringComparison.Ordinal) ? option : option + ".yaml");

    /// <summary>The <c># @package X</c> header of a file (comment lines before any content), or null.</summary>
    private static string? PackageHeader(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
                continue;
            if (!trimmed.StartsWith('#'))
                return null;
            var comment = trimmed.TrimStart('#').Trim();
            if (comment.StartsWith("@package", StringComparison.Ordinal))
                return comment["@package".Length..].Trim();
        }
        return null;
    }

    private static void MergeInto(Dictionary<string, object?> target, Dictionary<string, object?> source)
    {
        foreach (var (key, value) in source)
        {
            if (value is Dictionary<string, object?> child && target.TryGetValue(key, out var existing) && existing is Dictionary<string, object?> existingChild)
                MergeInto(existingChild, child);
            else
                target[key] = Copy(value);
        }
    }

    /// <summary>A deep copy of a configuration value (maps and lists copied, scalars shared).</summary>
    internal static object? Copy(object? value) => value switch
    {
        Dictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Copy(kv.Value), StringComparer.Ordinal),
        IList list => list.Cast<object?>().Select(Copy).ToList(),
        _ => value,
    };

    /// <summary>Places <paramref name="content"/> at the dotted <paramref name="package"/> ("" is the root).</summary>
    private static Dictionary<string, object?> AtPackage(string package, Dictionary<string, object?> content)
    {
        var result = content;
        foreach (var part in package.Split('.', StringSplitOptions.RemoveEmptyEntries).Reverse())
            result = new Dictionary<string, object?>(StringComparer.Ordinal) { [part] = result };
        return result;
    }

    private sealed class State(string root, Dictionary<string, string> choices)
    {
        private readonly HashSet<string> _loading = new(StringComparer.Ordinal);

        /// <summary>Groups whose entries were seen (to refuse a choice for a group nothing uses).</summary>
        public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

        /// <summary>Composes one file: its defaults and its own keys, all placed at <paramref name="package"/>.</summary>
        public Dictionary<string, object?> Compose(string file, string group, string package, IReadOnlyList<(string Group, string Option)> extra)
        {
            var full = Path.GetFullPath(file);
            if (!_loading.Add(full))
                throw new UsageException($"{file}: its defaults include itself");
            try
            {
                var own = ConfigTree.Load(file).Root;
                var entries = Entries(own, file);
                own.Remove(DefaultsKey);
                if (!entries.Any(e => e.IsSelf))
                    entries.Add(Entry.SelfEntry);
                entries.AddRange(extra.Select(e => new Entry("/" + e.Group, [e.Option], null, Optional: false, IsSelf: false)));
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var entry in entries)
                {
                    if (entry.IsSelf)
                    {
                        MergeInto(result, AtPackage(package, own));
                        continue;
                    }
                    var entryGroup = entry.Group.StartsWith('/') ? entry.Group.Trim('/') : string.Join('/', new[] { group, entry.Group }.Where(p => p.Length > 0));
                    IReadOnlyList<string?> options = entry.Options;
                    if (entry.Group.Length > 0 && entry.Group != "/")
                    {
                        Used.Add(entryGroup);
                        if (choices.TryGetValue(entryGroup, out var chosen))
                            options = [chosen];
                    }
                    foreach (var option in options)
                    {
                        if (option is null)
                            continue;
                        if (option is "???" or "??")
                            throw new UsageException($"{file}: config group '{entryGroup}' has no option chosen (it is ???); pass {entryGroup}=...");
                        // A plain name is a file of this config's own group.
                        var optionGroup = entry.Group.Length == 0 ? group : entryGroup;
                        var optionFile = OptionFile(root, optionGroup, option);
                        if (!File.Exists(optionFile))
                        {
                            if (entry.Optional)
                                continue;
                            throw new UsageException($"{file}: defaults entry '{(entry.Group.Length == 0 ? option : $"{entry.Group}: {option}")}': {optionFile} not found");
                        }
                        var childPackage = entry.Package ?? ResolveHeader(PackageHeader(optionFile), optionGroup, option);
                        MergeInto(result, Compose(optionFile, optionGroup, childPackage, []));
                    }
                }
                return result;
            }
            finally
            {
                _loading.Remove(full);
            }
        }

        private static string ResolveHeader(string? header, string group, string option)
        {
            var package = header ?? "_group_";
            var parts = package.Split('.', StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(p => p switch
                {
                    Global => Array.Empty<string>(),
                    "_group_" => group.Split('/', StringSplitOptions.RemoveEmptyEntries),
                    "_name_" => [option],
                    _ => [p],
                });
            return string.Join('.', parts);
        }

        private static List<Entry> Entries(Dictionary<string, object?> own, string file)
        {
            if (!own.TryGetValue(DefaultsKey, out var raw) || raw is null)
                return [];
            if (raw is not IList list)
                throw new UsageException($"{file}: 'defaults' must be a list");
            var entries = new List<Entry>();
            foreach (var item in list)
            {
                switch (item)
                {
                    case string name when name == Self:
                        entries.Add(Entry.SelfEntry);
                        break;
                    case string name:
                        entries.Add(new Entry("", [name], null, Optional: false, IsSelf: false));
                        break;
                    case Dictionary<string, object?> { Count: 1 } map:
                        {
                            var (key, value) = map.First();
                            var optional = false;
                            foreach (var prefix in new[] { "optional ", "override " })
                            {
                                if (key.StartsWith(prefix, StringComparison.Ordinal))
                                {
                                    optional |= prefix == "optional ";
                                    key = key[prefix.Length..].Trim();
                                }
                            }
                            string? package = null;
                            var at = key.IndexOf('@', StringComparison.Ordinal);
                            if (at >= 0)
                            {
                                package = key[(at + 1)..] == Global ? "" : key[(at + 1)..].Replace(Global + ".", "", StringComparison.Ordinal);
                                key = key[..at];
                            }
                            List<string?> options = value switch
                            {
                                null => [null],
                                IList many => [.. many.Cast<object?>().Select(ConfigTree.ScalarText)],
                                _ => [ConfigTree.ScalarText(value)],
                            };
                            entries.Add(new Entry(key, options, package, optional, IsSelf: false));
                            break;
                        }
                    default:
                        throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{file}: a defaults entry must be a name or 'group: option'"));
                }
            }
            return entries;
        }
    }

    private sealed record Entry(string Group, IReadOnlyList<string?> Options, string? Package, bool Optional, bool IsSelf)
    {
        public static Entry SelfEntry { get; } = new("", [], null, false, true);
    }
}
