using System.Globalization;
using Disco.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Disco.Cli.Configuration;

/// <summary>
/// A configuration as YAML gives it: nested maps (<see cref="Dictionary{TKey,TValue}"/> in file
/// order), lists and scalars (strings, or null), addressed by dotted keys as Hydra does
/// (<c>config.index_dir</c>).
/// </summary>
public sealed class ConfigTree
{
    public ConfigTree() : this(new Dictionary<string, object?>(StringComparer.Ordinal)) { }

    public ConfigTree(Dictionary<string, object?> root) => Root = root;

    public Dictionary<string, object?> Root { get; }

    public static ConfigTree Load(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: configuration file not found");
        try
        {
            using var reader = new StreamReader(path);
            return Parse(reader, path);
        }
        catch (YamlException e)
        {
            throw new DataFormatException(path, e.Start.Line, $"invalid YAML: {e.InnerException?.Message ?? e.Message}");
        }
    }

    public static ConfigTree Parse(TextReader reader, string source)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return new ConfigTree();
        if (stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new DataFormatException(source, stream.Documents[0].RootNode.Start.Line, "expected a mapping of keys to values at the top level");
        return new ConfigTree((Dictionary<string, object?>)Convert(map, source)!);
    }

    /// <summary>Parses an override's value as Hydra does: YAML flow syntax (<c>[a, b]</c>, <c>null</c>, quoted strings), else the text itself.</summary>
    public static object? ParseValue(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            return "";
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader("v: " + trimmed));
            return Convert(((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("v")]);
        }
        catch (YamlException)
        {
            return trimmed;
        }
    }

    /// <summary>
    /// Deepest nesting and most values a configuration may expand to. YAML aliases can refer to
    /// their own anchor (<c>a: &amp;x [*x]</c>, endless) or nest references that double at each
    /// level ("billion laughs"); both are refused with a one-line error instead of a stack
    /// overflow or unbounded memory (issue 15). Real configurations are a few levels and values.
    /// </summary>
    private const int MaxDepth = 64;
    private const int MaxValues = 100_000;

    private static object? Convert(YamlNode node, string source = "override")
    {
        var values = 0;
        return Convert(node, source, 0, ref values);
    }

    private static object? Convert(YamlNode node, string source, int depth, ref int values)
    {
        if (depth > MaxDepth || ++values > MaxValues)
            throw new DataFormatException(source, node.Start.Line, depth > MaxDepth
                ? $"configuration nests deeper than {MaxDepth} levels (a YAML alias that refers to itself?)"
                : $"configuration expands to more than {MaxValues} values (YAML aliases that multiply?)");
        switch (node)
        {
            case YamlMappingNode map:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: var name })
                        throw new DataFormatException(source, key.Start.Line, "a configuration key must be a plain value, not a list or mapping");
                    if (!result.TryAdd(name ?? "", Convert(value, source, depth + 1, ref values)))
                        throw new DataFormatException(source, key.Start.Line, $"key '{name}' is given twice");
                }
                return result;
            case YamlSequenceNode seq:
                var items = new List<object?>(seq.Children.Count);
                foreach (var child in seq.Children)
                    items.Add(Convert(child, source, depth + 1, ref values));
                return items;
            case YamlScalarNode scalar when scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL":
                return null;
            case YamlScalarNode scalar:
                return scalar.Value;
            default:
                return null;
        }
    }

    public bool TryGet(string key, out object? value)
    {
        value = null;
        object? current = Root;
        foreach (var part in key.Split('.'))
        {
            if (current is not Dictionary<string, object?> map || !map.TryGetValue(part, out current))
                return false;
        }
        value = current;
        return true;
    }

    /// <summary>
    /// Sets a dotted key. With <paramref name="mustExist"/> a missing key is an error, as Hydra
    /// refuses <c>a.b=v</c> for a key the configuration lacks unless written <c>+a.b=v</c>.
    /// </summary>
    public void Set(string key, object? value, bool mustExist = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('.');
        var map = Root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (!map.TryGetValue(parts[i], out var next) || next is not Dictionary<string, object?> child)
            {
                if (mustExist)
                    throw new UsageException($"key '{key}' is not in the configuration; write +{key}=... to add it");
                child = new Dictionary<string, object?>(StringComparer.Ordinal);
                map[parts[i]] = child;
            }
            map = child;
        }
        if (mustExist && !map.ContainsKey(parts[^1]))
            throw new UsageException($"key '{key}' is not in the configuration; write +{key}=... to add it");
        map[parts[^1]] = value;
    }

    /// <summary>Dotted keys of every leaf (a list is a leaf).</summary>
    public IEnumerable<KeyValuePair<string, object?>> Leaves() => Leaves(Root, "");

    private static IEnumerable<KeyValuePair<string, object?>> Leaves(Dictionary<string, object?> map, string prefix)
    {
        foreach (var (key, value) in map)
        {
            var full = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is Dictionary<string, object?> child)
            {
                foreach (var leaf in Leaves(child, full))
                    yield return leaf;
            }
            else
            {
                yield return new(full, value);
            }
        }
    }

    public string ToYaml() => new SerializerBuilder().Build().Serialize(Root);

    /// <summary>A scalar's text as YAML or the command line gives it (numbers in invariant culture).</summary>
    public static string? ScalarText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
