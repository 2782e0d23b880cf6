namespace Disco.Text;

/// <summary>
/// A read-only token → id table looked up by <see cref="ReadOnlySpan{T}"/>: open addressing with linear
/// probing over one array of 16-byte entries, token characters in one pool. Written for the tokenizer's
/// hot path, where it replaces Dictionary's alternate lookup (interface dispatch, two arrays, a string
/// dereference per probe); thread-safe because it is never written after construction.
/// </summary>
internal sealed class SpanVocabulary
{
    private readonly Entry[] _entries;
    private readonly char[] _characters;
    private readonly int _mask;

    /// <summary>Builds the table; a key given twice keeps its last id (like HF's load_vocab).</summary>
    public SpanVocabulary(IReadOnlyList<(string Key, int Id)> tokens)
    {
        int capacity = 16;
        while (capacity < tokens.Count * 2)
            capacity *= 2;
        _entries = new Entry[capacity];
        _mask = capacity - 1;
        _characters = new char[tokens.Sum(t => t.Key.Length)];
        int used = 0;
        foreach (var (key, id) in tokens)
        {
            uint hash = Hash(key);
            int slot = (int)(hash & (uint)_mask);
            while (true)
            {
                ref var entry = ref _entries[slot];
                if (entry.Length == 0)
                {
                    key.CopyTo(_characters.AsSpan(used));
                    entry = new Entry(hash, used, key.Length, id);
                    used += key.Length;
                    break;
                }

                if (entry.Hash == hash && Matches(entry, key))
                {
                    entry = entry with { Id = id };
                    break;
                }

                slot = (slot + 1) & _mask;
            }

            LongestKey = Math.Max(LongestKey, key.Length);
        }
    }

    /// <summary>The length of the longest key, where a longest-match search can start.</summary>
    public int LongestKey { get; }

    public bool TryGetValue(ReadOnlySpan<char> key, out int id)
    {
        if (key.Length > 0)
        {
            uint hash = Hash(key);
            int slot = (int)(hash & (uint)_mask);
            while (true)
            {
                ref readonly var entry = ref _entries[slot];
                if (entry.Length == 0)
                    break;
                if (entry.Hash == hash && Matches(entry, key))
                {
                    id = entry.Id;
                    return true;
                }

                slot = (slot + 1) & _mask;
            }
        }

        id = -1;
        return false;
    }

    private bool Matches(in Entry entry, ReadOnlySpan<char> key) =>
        entry.Length == key.Length && key.SequenceEqual(_characters.AsSpan(entry.Offset, entry.Length));

    /// <summary>FNV-1a over the UTF-16 units with a final mix, so the low bits used for the slot vary.</summary>
    private static uint Hash(ReadOnlySpan<char> key)
    {
        uint hash = 2166136261;
        foreach (char c in key)
            hash = (hash ^ c) * 16777619;
        return hash ^ (hash >> 15);
    }

    private readonly record struct Entry(uint Hash, int Offset, int Length, int Id);
}
