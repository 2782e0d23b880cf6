using System.Text.Json;

namespace Disco.Benchmarks.Tokenization;

/// <summary>How many golden tokenization cases (HF reference ids, max_length 256) a tokenizer reproduces exactly.</summary>
public static class TokenizerParity
{
    public static (int Matches, int Total, IReadOnlyList<int> Mismatches) Count(Func<string, int, IReadOnlyList<int>> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        var mismatches = new List<int>();
        var lines = File.ReadLines(TokenizerCorpus.Golden("golden_tokenization.jsonl")).Where(l => l.Length > 0).ToArray();
        for (int i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var root = line.RootElement;
            var expected = root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            IReadOnlyList<int> actual;
            try
            {
                actual = encode(root.GetProperty("text").GetString()!, root.GetProperty("max_length").GetInt32());
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                actual = [];
            }

            if (!expected.SequenceEqual(actual))
                mismatches.Add(i);
        }

        return (lines.Length - mismatches.Count, lines.Length, mismatches);
    }
}
