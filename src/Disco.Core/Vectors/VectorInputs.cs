using System.IO.Compression;
using System.Text.Json;

namespace Disco.Core.Vectors;

/// <summary>
/// Document vectors given as many files or folders: Disco's vectors JSONL and Anserini's
/// JsonVectorCollection (<c>{"id", "contents", "vector": {token: int}}</c>, one object per line or
/// a JSON array, optionally gzipped). A folder contributes its <c>.jsonl</c>, <c>.json</c> and
/// their <c>.gz</c> files, recursively, in natural name order (<c>part2</c> before <c>part10</c>), so
/// the shards of a collection are read back in collection order.
/// </summary>
public static class VectorInputs
{
    private static readonly string[] Extensions = [".jsonl", ".json", ".jsonl.gz", ".json.gz"];

    /// <summary>The files that <paramref name="paths"/> (files or folders) stand for, in reading order.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    .Order(NaturalComparer.Instance)
                    .ToList();
                if (found.Count == 0)
                    throw new DiscoException($"{path}: folder holds no vector files ({string.Join(", ", Extensions)})");
                files.AddRange(found);
            }
            else
            {
                throw new DiscoException($"{path}: file or folder not found");
            }
        }
        if (files.Count == 0)
            throw new DiscoException("no vector files given");
        return files;
    }

    /// <summary>
    /// Reads one vectors file of either kind; each record comes with its position: the line for
    /// JSONL, the element number for a JSON array (<paramref name="path"/> may be gzipped).
    /// </summary>
    public static IEnumerable<(TermVector Vector, long Position)> Read(string path)
    {
        if (!File.Exists(path))
            throw new DiscoException($"{path}: file not found");
        return ReadExisting(path);
    }

    /// <summary>Words for record <paramref name="record"/> (0-based, blank lines not counted) of a vectors file, for error messages; reads the file again.</summary>
    public static string DescribeRecord(string path, long record)
    {
        long i = 0;
        foreach (var (_, position) in Read(path))
        {
            if (i++ == record)
                return IsArray(path) ? $"{path} element {position}" : $"{path}:{position}";
        }
        return $"{path} record {record + 1}";
    }

    private static IEnumerable<(TermVector, long)> ReadExisting(string path)
    {
        if (IsArray(path))
        {
            using var stream = Open(path);
            using var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream).ToBlockingEnumerable().GetEnumerator();
            long n = 0;
            while (true)
            {
                try
                {
                    if (!elements.MoveNext())
                        break;
                }
                catch (JsonException e)
                {
                    throw new DataFormatException(path, 0, $"invalid JSON after element {n}: {e.Message}");
                }
                n++;
                yield return (VectorFile.ParseLine(elements.Current.GetRawText(), path, n), n);
            }
            yield break;
        }
        // Strict UTF-8 with file:line errors (a BOM is accepted).
        foreach (var read in VectorFile.ReadLines(path, () => Open(path)))
            yield return read;
    }

    private static Stream Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    /// <summary>A JSON array file (its first non-blank character is '['); otherwise one object per line.</summary>
    private static bool IsArray(string path)
    {
        using var stream = Open(path);
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
                continue;
            return b == '[';
        }
        return false;
    }

    /// <summary>Orders names with digit runs compared as numbers, so shard 2 comes before shard 10.</summary>
    private sealed class NaturalComparer : IComparer<string>
    {
        public static readonly NaturalComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
                return string.CompareOrdinal(x, y);
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
                {
                    var si = i;
                    var sj = j;
                    while (i < x.Length && char.IsAsciiDigit(x[i]))
                        i++;
                    while (j < y.Length && char.IsAsciiDigit(y[j]))
                        j++;
                    var a = x[si..i].TrimStart('0');
                    var b = y[sj..j].TrimStart('0');
                    var c = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                    if (c != 0)
                        return c;
                    continue;
                }
                if (x[i] != y[j])
                    return x[i].CompareTo(y[j]);
                i++;
                j++;
            }
            var rest = (x.Length - i).CompareTo(y.Length - j);
            return rest != 0 ? rest : string.CompareOrdinal(x, y);
        }
    }
}
