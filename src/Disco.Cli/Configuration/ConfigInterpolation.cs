using System.Collections;
using System.Globalization;
using System.Text;

namespace Disco.Cli.Configuration;

/// <summary>
/// OmegaConf's interpolation in a composed Hydra configuration, resolved once the command line's
/// overrides are applied (so <c>config.out_dir=X</c> changes every value that refers to it):
/// <list type="bullet">
/// <item><c>${a.b}</c>: the value of key <c>a.b</c> (absolute); <c>${.b}</c>, <c>${..b}</c>: relative
/// to the value's own map and its parents; <c>${a.0}</c> or <c>${a[0]}</c>: a list item;</item>
/// <item><c>${oc.env:VAR}</c>, <c>${oc.env:VAR,default}</c> (and OmegaConf 2.0's <c>${env:...}</c>):
/// an environment variable, an error when unset without a default (<c>null</c> as default is null);</item>
/// <item>a value that is exactly one interpolation takes the referenced value as it is (a map or a
/// list too); inside longer text the value's text is inserted; <c>\${</c> is a literal <c>${</c>.</item>
/// </list>
/// Deviation from OmegaConf, which resolves lazily (when a value is read): every value is resolved
/// up front, so an unresolvable reference is an error even in a key no verb reads; and a value that
/// refers to a <c>???</c> placeholder is itself <c>???</c> (an error only if it reaches a disco
/// setting, as a placeholder is). Cycles and unknown keys are one-line errors naming the key.
/// naver/splade's <c>conf/</c> uses no interpolation; configurations written for Hydra often do.
/// </summary>
internal static class ConfigInterpolation
{
    private const string Missing = "???";

    /// <summary>Resolves every interpolation of <paramref name="tree"/> in place; <paramref name="source"/> names the file in errors.</summary>
    public static void Resolve(ConfigTree tree, string source)
    {
        ArgumentNullException.ThrowIfNull(tree);
        new Resolver(tree, source).ResolveChildren(tree.Root, "");
    }

    private sealed class Resolver(ConfigTree tree, string source)
    {
        /// <summary>Keys being resolved, outermost first: a key met again is a cycle.</summary>
        private readonly List<string> _resolving = [];

        public void ResolveChildren(object? node, string path)
        {
            switch (node)
            {
                case Dictionary<string, object?> map:
                    foreach (var key in map.Keys.ToList())
                        Value(Join(path, key));
                    break;
                case IList list:
                    for (var i = 0; i < list.Count; i++)
                        Value(Join(path, i.ToString(CultureInfo.InvariantCulture)));
                    break;
            }
        }

        /// <summary>The resolved value at <paramref name="path"/> (written back into the tree), or false when there is no such key.</summary>
        private bool TryValue(string path, out object? value)
        {
            if (!TryLocate(path, out var container, out var key))
            {
                value = null;
                return false;
            }
            value = Get(container, key);
            var at = _resolving.IndexOf(path);
            if (at >= 0)
                throw Error(path, $"interpolation cycle: {string.Join(" -> ", _resolving.Skip(at).Append(path))}");
            _resolving.Add(path);
            try
            {
                if (value is string text && text.Contains("${", StringComparison.Ordinal))
                {
                    value = Interpolate(text, path);
                    Set(container, key, value);
                }
                else
                {
                    ResolveChildren(value, path);
                }
            }
            finally
            {
                _resolving.RemoveAt(_resolving.Count - 1);
            }
            return true;
        }

        private object? Value(string path) => TryValue(path, out var value) ? value : null;

        /// <summary>A string with interpolations: the one referenced value itself, or the text with each value's text inserted.</summary>
        private object? Interpolate(string text, string path)
        {
            var parts = Split(text, path);
            if (parts is [{ IsExpression: true } only])
                return HydraComposition.Copy(Evaluate(only.Text, path));
            var result = new StringBuilder();
            foreach (var part in parts)
            {
                if (!part.IsExpression)
                {
                    result.Append(part.Text);
                    continue;
                }
                var value = Evaluate(part.Text, path);
                if (value is IDictionary or IList)
                    throw Error(path, $"${{{part.Text}}} is a map or list and cannot be part of the text \"{text}\"");
                var inserted = ConfigTree.ScalarText(value) ?? "None";
                // A placeholder inside text leaves the whole value unset.
                if (inserted == Missing)
                    return Missing;
                result.Append(inserted);
            }
            return result.ToString();
        }

        /// <summary>One <c>${...}</c>'s content (nested interpolations already allowed inside): a resolver call or a key.</summary>
        private object? Evaluate(string expression, string path)
        {
            // Nested interpolations (${a.${b}}) are text first.
            if (expression.Contains("${", StringComparison.Ordinal))
                expression = ConfigTree.ScalarText(Interpolate(expression, path)) ?? "";
            expression = expression.Trim();
            var colon = expression.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
                return Call(expression[..colon].Trim(), expression[(colon + 1)..], expression, path);
            var target = Absolute(expression, path);
            if (!TryValue(target, out var value))
                throw Error(path, $"${{{expression}}} refers to '{target}', which the configuration does not have");
            return value;
        }

        private string? Call(string resolver, string arguments, string expression, string path)
        {
            if (resolver is not ("oc.env" or "env"))
                throw Error(path, $"${{{expression}}}: resolver '{resolver}' is not supported (supported: oc.env)");
            var comma = arguments.IndexOf(',', StringComparison.Ordinal);
            var name = (comma < 0 ? arguments : arguments[..comma]).Trim();
            if (name.Length == 0)
                throw Error(path, $"${{{expression}}}: oc.env needs a variable name");
            if (Environment.GetEnvironmentVariable(name) is { } set)
                return set;
            if (comma < 0)
                throw Error(path, $"${{{expression}}}: environment variable {name} is not set (give a default: ${{oc.env:{name},default}})");
            var fallback = arguments[(comma + 1)..].Trim();
            return fallback switch
            {
                "null" => null,
                ['\'', .., '\''] or ['"', .., '"'] => fallback[1..^1],
                _ => fallback,
            };
        }

        /// <summary>
        /// A key as written in <c>${...}</c> made absolute: <c>a[0]</c> is <c>a.0</c>; leading dots are
        /// relative to the map holding <paramref name="path"/> (one dot) and its parents (each further dot).
        /// </summary>
        private string Absolute(string key, string path)
        {
            key = key.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
            var dots = key.TakeWhile(c => c == '.').Count();
            if (dots == 0)
                return key;
            var parts = path.Split('.').ToList();
            var up = dots;
            if (up > parts.Count)
                throw Error(path, $"${{{key}}} goes above the top of the configuration");
            parts.RemoveRange(parts.Count - up, up);
            return Join(string.Join('.', parts), key[dots..]);
        }

        private bool TryLocate(string path, out object container, out string key)
        {
            var parts = path.Split('.');
            object? current = tree.Root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!TryChild(current, parts[i], out current))
                {
                    (container, key) = (tree.Root, "");
                    return false;
                }
            }
            container = current!;
            key = parts[^1];
            return TryChild(current, key, out _);
        }

        private static bool TryChild(object? node, string key, out object? child)
        {
            child = null;
            if (node is Dictionary<string, object?> map)
                return map.TryGetValue(key, out child);
            if (node is not IList list || !int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= list.Count)
                return false;
            child = list[i];
            return true;
        }

        private static object? Get(object container, string key) => container switch
        {
            Dictionary<string, object?> map => map[key],
            IList list => list[int.Parse(key, CultureInfo.InvariantCulture)],
            _ => null,
        };

        private static void Set(object container, string key, object? value)
        {
            if (container is Dictionary<string, object?> map)
                map[key] = value;
            else if (container is IList list)
                list[int.Parse(key, CultureInfo.InvariantCulture)] = value;
        }

        /// <summary>Literal text and <c>${...}</c> contents, in order; <c>\${</c> is literal.</summary>
        private List<Part> Split(string text, string path)
        {
            var parts = new List<Part>();
            var literal = new StringBuilder();
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\\' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
                {
                    literal.Append("${");
                    i += 2;
                    continue;
                }
                if (text[i] != '$' || i + 1 >= text.Length || text[i + 1] != '{')
                {
                    literal.Append(text[i]);
                    continue;
                }
                var depth = 1;
                var end = i + 2;
                for (; end < text.Length && depth > 0; end++)
                {
                    if (text[end] == '{' && text[end - 1] == '$')
                        depth++;
                    else if (text[end] == '}')
                        depth--;
                }
                if (depth > 0)
                    throw Error(path, $"unterminated interpolation in \"{text}\"");
                if (literal.Length > 0)
                    parts.Add(new Part(literal.ToString(), IsExpression: false));
                literal.Clear();
                parts.Add(new Part(text[(i + 2)..(end - 1)], IsExpression: true));
                i = end - 1;
            }
            if (literal.Length > 0)
                parts.Add(new Part(literal.ToString(), IsExpression: false));
            return parts;
        }

        private UsageException Error(string key, string problem) => new($"{source}: {key}: {problem}");

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    }

    private readonly record struct Part(string Text, bool IsExpression);
}
