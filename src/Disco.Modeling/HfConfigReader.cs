using System.Globalization;
using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.IO;

namespace Disco.Modeling;

/// <summary>
/// Reads the members of a HuggingFace <c>config.json</c> as untrusted input, for any architecture:
/// the file is strict JSON (<see cref="StrictJson"/>: UTF-8, no duplicate members, at most
/// <see cref="MaxBytes"/>), and every member is read with its type and range checked, so a config
/// is refused with a one-line error naming the file and member before anything is allocated from it.
/// A missing (or <c>null</c>) member takes the architecture's default, as in transformers.
/// </summary>
public sealed class HfConfigReader
{
    /// <summary>Real configs are a few KB (large label maps reach a few hundred); 16 MB is far beyond any.</summary>
    public const long MaxBytes = 16 << 20;

    public HfConfigReader(JsonObject raw, string source)
    {
        Raw = raw ?? throw new ArgumentNullException(nameof(raw));
        Source = source;
    }

    /// <summary>The parsed object, unknown members included.</summary>
    public JsonObject Raw { get; }

    /// <summary>Where the config came from (a path), for error messages.</summary>
    public string Source { get; }

    public static HfConfigReader FromFile(string path) => new(StrictJson.ReadObjectFile(path, MaxBytes), path);

    public static HfConfigReader Parse(string json, string source) => new(StrictJson.Parse(json, source) as JsonObject ?? throw new DataFormatException(source, 0, "config must be a JSON object"), source);

    /// <summary>An integer member in <c>[min, max]</c>.</summary>
    public int WholeNumber(string name, int fallback, int min, int max)
    {
        var node = Raw[name];
        if (node is null)
            return fallback;
        if (node.GetValueKind() != System.Text.Json.JsonValueKind.Number || !node.AsValue().TryGetValue<long>(out var value))
            throw Error($"\"{name}\" must be an integer, got {Shown(node)}");
        if (value < min || value > max)
            throw Error($"\"{name}\" must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}");
        return (int)value;
    }

    /// <summary>A finite number member in <c>[min, max]</c> (or <c>(min, max]</c> when <paramref name="minExclusive"/>).</summary>
    public double Number(string name, double fallback, double min, double max, bool minExclusive = false)
    {
        var node = Raw[name];
        if (node is null)
            return fallback;
        if (node.GetValueKind() != System.Text.Json.JsonValueKind.Number || !node.AsValue().TryGetValue<double>(out var value))
            throw Error($"\"{name}\" must be a number, got {Shown(node)}");
        if (!double.IsFinite(value) || value > max || (minExclusive ? value <= min : value < min))
        {
            var low = minExclusive ? "greater than " + min.ToString(CultureInfo.InvariantCulture) : "at least " + min.ToString(CultureInfo.InvariantCulture);
            throw Error($"\"{name}\" must be {low} and at most {max.ToString(CultureInfo.InvariantCulture)}, got {Shown(node)}");
        }
        return value;
    }

    /// <summary>A string member.</summary>
    public string Text(string name, string fallback)
    {
        var node = Raw[name];
        if (node is null)
            return fallback;
        if (node.GetValueKind() != System.Text.Json.JsonValueKind.String)
            throw Error($"\"{name}\" must be a string, got {Shown(node)}");
        return node.GetValue<string>();
    }

    /// <summary>An error about this config: "<c>source: problem</c>".</summary>
    public DataFormatException Error(string problem) => new(Source, 0, problem);

    private static string Shown(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length > 60 ? text[..60] + "..." : text;
    }
}
