using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Disco.Cli.Configuration;

/// <summary>
/// Binds a flat configuration tree onto a verb's settings class and back. The settings class is
/// the one source of defaults: its property initialisers. Keys are the properties' names in
/// snake_case (<c>TopK</c> → <c>top_k</c>); an unknown key or a value of the wrong type is a usage
/// error naming the key.
/// </summary>
public static class SettingsBinder
{
    public static string KeyOf(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return SnakeCase(property.Name);
    }

    /// <summary><c>TopK</c> → <c>top_k</c>, <c>LastQuestion</c> → <c>last_question</c>.</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    public static IReadOnlyList<PropertyInfo> Properties(Type type)
        => [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.CanRead)];

    public static ConfigTree ToTree<T>(T settings) where T : class
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tree = new ConfigTree();
        foreach (var p in Properties(typeof(T)))
            tree.Root[KeyOf(p)] = ToYamlValue(p.GetValue(settings));
        return tree;
    }

    public static T Bind<T>(ConfigTree tree) where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(tree);
        var settings = new T();
        var byKey = Properties(typeof(T)).ToDictionary(KeyOf, StringComparer.Ordinal);
        foreach (var (key, value) in tree.Root)
        {
            if (!byKey.TryGetValue(key, out var property))
                throw new UsageException($"unknown configuration key '{key}'; known keys: {string.Join(", ", byKey.Keys)}");
            property.SetValue(settings, Convert(value, property.PropertyType, key));
        }
        return settings;
    }

    private static object? ToYamlValue(object? value) => value switch
    {
        null => null,
        string s => s,
        Enum e => SnakeCase(e.ToString()),
        IEnumerable list => list.Cast<object?>().Select(ToYamlValue).ToList(),
        _ => value,
    };

    private static object? Convert(object? value, Type type, string key)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value is null)
        {
            if (type.IsValueType && underlying is null)
                throw new UsageException($"{key}: null is not allowed (expected {Describe(type)})");
            return null;
        }
        var target = underlying ?? type;
        if (target == typeof(string))
            return Scalar(value, key);
        if (target.IsGenericType && target.GetGenericTypeDefinition() is var def && (def == typeof(IReadOnlyList<>) || def == typeof(List<>)))
        {
            var element = target.GetGenericArguments()[0];
            var items = Flatten(value).Select(v => Convert(v, element, key)).ToList();
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            foreach (var item in items)
                list.Add(item);
            return list;
        }
        var text = Scalar(value, key);
        var ok = true;
        object? result = null;
        if (target == typeof(int))
            ok = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && (result = i) is not null;
        else if (target == typeof(long))
            ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && (result = l) is not null;
        else if (target == typeof(float))
            ok = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && (result = f) is not null;
        else if (target == typeof(double))
            ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && (result = d) is not null;
        else if (target == typeof(bool))
            (ok, result) = text.ToUpperInvariant() switch
            {
                "TRUE" or "1" or "YES" or "ON" => (true, (object)true),
                "FALSE" or "0" or "NO" or "OFF" => (true, false),
                _ => (false, null),
            };
        else if (target.IsEnum)
            ok = Enum.TryParse(target, text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out result) && Enum.IsDefined(target, result!);
        else
            throw new InvalidOperationException($"{key}: settings of type {target} are not supported");
        if (!ok)
            throw new UsageException($"{key}: '{text}' is not {Describe(target)}");
        return result;
    }

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

    private static string Scalar(object value, string key)
        => value is IList or IDictionary
            ? throw new UsageException($"{key}: expected a single value, found a {(value is IList ? "list" : "map")}")
            : ConfigTree.ScalarText(value)!;

    private static string Describe(Type type) => type.IsEnum
        ? "one of " + string.Join(", ", Enum.GetNames(type).Select(SnakeCase))
        : type == typeof(bool) ? "true or false" : $"a valid {type.Name.ToLowerInvariant()}";
}
