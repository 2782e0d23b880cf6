using Disco.Text.UnicodeTables;

namespace Disco.Text;

/// <summary>
/// Lowercasing and accent stripping of one non-ASCII code point, cached per BMP character so that the
/// hot path never allocates. One shared instance per setting combination; the cache fills lazily and
/// a race only computes the same string twice (reference writes are atomic), so it is thread-safe.
/// </summary>
internal sealed class CharNormalizer
{
    private static readonly CharNormalizer?[] Shared = new CharNormalizer?[4];

    private readonly string?[] _bmp = new string?[char.MaxValue + 1];

    private CharNormalizer(bool lowerCase, bool stripAccents)
    {
        LowerCase = lowerCase;
        StripAccents = stripAccents;
    }

    public bool LowerCase { get; }

    public bool StripAccents { get; }

    /// <summary>The shared normalizer for these settings, or null when neither is on (text passes unchanged).</summary>
    public static CharNormalizer? For(bool lowerCase, bool stripAccents)
    {
        if (!lowerCase && !stripAccents)
            return null;
        int slot = (lowerCase ? 1 : 0) | (stripAccents ? 2 : 0);
        var existing = Volatile.Read(ref Shared[slot]);
        if (existing is not null)
            return existing;
        Interlocked.CompareExchange(ref Shared[slot], new CharNormalizer(lowerCase, stripAccents), null);
        return Shared[slot];
    }

    public string Normalize(int codePoint)
    {
        if (codePoint > char.MaxValue)
            return PythonUnicode.Normalize(codePoint, LowerCase, StripAccents);
        return _bmp[codePoint] ??= PythonUnicode.Normalize(codePoint, LowerCase, StripAccents);
    }
}
