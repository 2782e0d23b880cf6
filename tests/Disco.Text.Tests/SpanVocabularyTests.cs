using CsCheck;

namespace Disco.Text.Tests;

public sealed class SpanVocabularyTests
{
    [Fact]
    public void Lookups_agree_with_a_dictionary_where_a_repeated_key_keeps_its_last_id() =>
        Gen.Select(Gen.String[Gen.Char["abcé𝒜#"], 1, 6].Array[0, 200], Gen.String[Gen.Char["abcé𝒜#"], 0, 7].Array[0, 50])
            .Sample((keys, probes) =>
            {
                var tokens = keys.Select((key, id) => (key, id)).ToList();
                var oracle = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var (key, id) in tokens)
                    oracle[key] = id;

                var table = new SpanVocabulary(tokens);

                foreach (string probe in keys.Concat(probes))
                {
                    bool found = table.TryGetValue(probe, out int id);
                    Assert.Equal(oracle.TryGetValue(probe, out int expected), found);
                    Assert.Equal(found ? expected : -1, id);
                }

                Assert.Equal(keys.Length == 0 ? 0 : keys.Max(k => k.Length), table.LongestKey);
            });
}
