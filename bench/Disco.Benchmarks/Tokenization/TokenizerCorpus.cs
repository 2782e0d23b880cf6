using System.Text.Json;

namespace Disco.Benchmarks.Tokenization;

/// <summary>
/// Real passages and conversational texts from the shared data (SPLADE toy MS MARCO passages, TREC
/// CAsT topics and responses, iKAT provenance passages), repeated to a few megabytes.
/// </summary>
public static class TokenizerCorpus
{
    public static string SharedRoot
    {
        get
        {
            // BenchmarkDotNet runs a generated copy below bin/, so look upwards for the repository root.
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
                dir = dir.Parent;
            return dir is null
                ? throw new InvalidOperationException($"no Directory.Build.props above {AppContext.BaseDirectory}")
                : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        }
    }

    public static string TinySplade => Path.Combine(SharedRoot, "fixtures", "tiny-splade");

    public static string Golden(string name) => Path.Combine(SharedRoot, "fixtures", "golden", name);

    /// <summary>The distinct texts, then repeated until they hold at least <paramref name="minChars"/> characters.</summary>
    public static string[] Load(int minChars)
    {
        string data = Path.Combine(SharedRoot, "data");
        var texts = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(data, "splade-toy", "full_collection", "raw.tsv")))
        {
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0)
                texts.Add(line[(tab + 1)..]);
        }

        foreach (string file in Directory.EnumerateFiles(data, "*.json*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains("splade-toy", StringComparison.Ordinal))
                continue;
            var documents = file.EndsWith(".jsonl", StringComparison.Ordinal)
                ? File.ReadLines(file).Where(l => l.Length > 0)
                : [File.ReadAllText(file)];
            foreach (string json in documents)
            {
                using var document = JsonDocument.Parse(json);
                CollectStrings(document.RootElement, texts);
            }
        }

        var distinct = texts.Distinct(StringComparer.Ordinal).ToArray();
        var corpus = new List<string>();
        long chars = 0;
        while (chars < minChars)
        {
            corpus.AddRange(distinct);
            chars += distinct.Sum(t => (long)t.Length);
        }

        return [.. corpus];
    }

    private static void CollectStrings(JsonElement element, List<string> texts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    CollectStrings(property.Value, texts);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    CollectStrings(item, texts);
                break;
            case JsonValueKind.String:
                // Ids and short labels are not text; utterances, responses and passages are.
                string value = element.GetString()!;
                if (value.Length >= 20 && value.Contains(' ', StringComparison.Ordinal))
                    texts.Add(value);
                break;
            default:
                break;
        }
    }
}
