using System.Globalization;

namespace Disco.Core.Texts;

/// <summary>
/// The <see cref="Index"/>-th (1-based) of <see cref="Count"/> contiguous, deterministic parts of a
/// collection of <c>total</c> records: records <c>[⌊total·(I−1)/N⌋, ⌊total·I/N⌋)</c>. Parts differ
/// in size by at most one record, and parts 1..N in order are the collection in order, so N
/// machines can each encode one and indexing their outputs in part order equals one pass.
/// </summary>
public readonly record struct CollectionShard
{
    public CollectionShard(int index, int count)
    {
        if (count < 1 || index < 1 || index > count)
            throw new DiscoException($"shard {index}/{count}: expected I/N with 1 <= I <= N");
        Index = index;
        Count = count;
    }

    public int Index { get; }

    public int Count { get; }

    /// <summary>Parses "I/N" (for example "2/8").</summary>
    public static CollectionShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new DiscoException($"shard \"{text}\": expected I/N, for example 2/8 (the second of eight parts)");
        return new CollectionShard(i, n);
    }

    /// <summary>The records of this part: <c>[Start, End)</c> of <paramref name="total"/>.</summary>
    public (long Start, long End) Range(long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        return (Bound(total, Index - 1), Bound(total, Index));
    }

    /// <summary>The records of this part from a sequence of <paramref name="total"/> records.</summary>
    public IEnumerable<T> Select<T>(IEnumerable<T> records, long total)
    {
        ArgumentNullException.ThrowIfNull(records);
        var (start, end) = Range(total);
        long i = 0;
        foreach (var record in records)
        {
            if (i >= end)
                yield break;
            if (i++ >= start)
                yield return record;
        }
    }

    public override string ToString() => $"{Index}/{Count}";

    private long Bound(long total, int part) => (long)((Int128)total * part / Count);
}
