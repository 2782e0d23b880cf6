namespace Disco.Index;

/// <summary>A cut-off that at least a given number of positive scores reach, from one histogram pass.</summary>
internal static unsafe class ScoreSelection
{
    /// <summary>Buckets of the histogram: positive float32 bit patterns shifted right by 19.</summary>
    public const int Buckets = 1 << 12;

    /// <summary>
    /// The largest bucket boundary <c>c</c> such that at least <paramref name="needed"/> of the
    /// positive values are ≥ c, or 0 when there are not that many. Positive floats order like their
    /// bit patterns, so buckets of the top 12 bits (exponent and 3 mantissa bits, 1/8 of an octave
    /// wide) need no comparisons; the cut-off lets through at most one bucket more than needed.
    /// </summary>
    public static float Cutoff(float* values, int count, int needed, int[] histogram) => Cutoff(values, count, [], needed, histogram);

    /// <summary>
    /// As above over <paramref name="values"/> together with <paramref name="kept"/> (the scores a
    /// top-k queue already holds): a value below the cut-off is beaten by <paramref name="needed"/>
    /// others of the union, so with <paramref name="needed"/> = k it cannot be among the k best.
    /// Counting only the new values against the queue's free places is not enough: the kept
    /// scores may be lower than the skipped ones (issue 16, exact MaxScore at k=1000).
    /// </summary>
    public static float Cutoff(float* values, int count, ReadOnlySpan<float> kept, int needed, int[] histogram)
    {
        Array.Clear(histogram);
        fixed (int* h = histogram)
        {
            var bits = (int*)values;
            // Zero and negative values (never written by a scatter of positive contributions) fall in bucket 0 or are masked out.
            for (var i = 0; i < count; i++)
                h[(bits[i] & int.MaxValue) >> 19]++;
            foreach (var v in kept)
                h[(BitConverter.SingleToInt32Bits(v) & int.MaxValue) >> 19]++;
            var seen = 0;
            for (var b = Buckets - 1; b > 0; b--)
            {
                seen += h[b];
                if (seen >= needed)
                    return BitConverter.Int32BitsToSingle(b << 19);
            }
        }
        return 0f;
    }
}
