namespace Disco.Index;

/// <summary>A cut-off that at least a given number of positive scores reach, from one histogram pass.</summary>
internal static unsafe class ScoreSelection
{
    /// <summary>Buckets of the histogram: positive float32 bit patterns shifted right by <see cref="BucketShift"/>.</summary>
    public const int Buckets = 1 << 12;

    /// <summary>A positive score's bucket is its bit pattern shifted right by this (the exponent and 3 mantissa bits).</summary>
    public const int BucketShift = 19;

    /// <summary>Length of the scratch histogram <see cref="Cutoff(float*, int, ReadOnlySpan{float}, int, int[])"/> takes: four counters per bucket.</summary>
    public const int HistogramLength = Buckets * 4;

    /// <summary>
    /// The largest bucket boundary <c>c</c> such that at least <paramref name="needed"/> of the
    /// positive values are ≥ c, or 0 when there are not that many. Positive floats order like their
    /// bit patterns, so buckets of the top 12 bits (exponent and 3 mantissa bits, 1/8 of an octave
    /// wide) need no comparisons; the cut-off lets through at most one bucket more than needed.
    /// The values are <paramref name="values"/> together with <paramref name="kept"/> (the scores a
    /// top-k queue already holds): a value below the cut-off is beaten by <paramref name="needed"/>
    /// others of the union, so with <paramref name="needed"/> = k it cannot be among the k best.
    /// Counting only the new values against the queue's free places is not enough: the kept
    /// scores may be lower than the skipped ones (issue 16, exact MaxScore at k=1000).
    /// </summary>
    public static float Cutoff(float* values, int count, ReadOnlySpan<float> kept, int needed, int[] histogram)
    {
        if (histogram.Length < HistogramLength)
            throw new ArgumentException($"needs {HistogramLength} counters", nameof(histogram));
        Array.Clear(histogram, 0, HistogramLength);
        fixed (int* h = histogram)
        {
            var bits = (int*)values;
            // Zero and negative values (never written by a scatter of positive contributions) fall in bucket 0 or are masked out.
            // Four interleaved copies of the histogram (counter 4b + way): most values of a range fall
            // in a few buckets (zeros in bucket 0), and one copy makes every increment wait for the
            // previous one of the same counter (store-to-load forwarding, ~5 cycles each).
            var i = 0;
            for (; i + 4 <= count; i += 4)
            {
                h[(((bits[i] & int.MaxValue) >> BucketShift) << 2) + 0]++;
                h[(((bits[i + 1] & int.MaxValue) >> BucketShift) << 2) + 1]++;
                h[(((bits[i + 2] & int.MaxValue) >> BucketShift) << 2) + 2]++;
                h[(((bits[i + 3] & int.MaxValue) >> BucketShift) << 2) + 3]++;
            }
            for (; i < count; i++)
                h[((bits[i] & int.MaxValue) >> BucketShift) << 2]++;
            foreach (var v in kept)
                h[((BitConverter.SingleToInt32Bits(v) & int.MaxValue) >> BucketShift) << 2]++;
            var seen = 0;
            for (var b = Buckets - 1; b > 0; b--)
            {
                seen += h[b << 2] + h[(b << 2) + 1] + h[(b << 2) + 2] + h[(b << 2) + 3];
                if (seen >= needed)
                    return BitConverter.Int32BitsToSingle(b << BucketShift);
            }
        }
        return 0f;
    }

    /// <summary>
    /// The cut-off of <see cref="Cutoff(float*, int, ReadOnlySpan{float}, int, int[])"/> from a histogram already
    /// counted (one counter per bucket, <see cref="Buckets"/> of them), e.g. while the scores were
    /// written. The scan starts at bucket <paramref name="top"/>, the highest a score can reach when
    /// the caller knows a bound (scores sit a few octaves around 1, thousands of buckets below the
    /// last): counts above it are not seen, so a <paramref name="top"/> too low only lowers the cut
    /// (more scores reach it), never below one of the <paramref name="needed"/> best.
    /// </summary>
    public static float Cutoff(ReadOnlySpan<int> counts, int needed, int top = Buckets - 1)
    {
        var seen = 0;
        for (var b = Math.Min(top, Buckets - 1); b > 0; b--)
        {
            seen += counts[b];
            if (seen >= needed)
                return BitConverter.Int32BitsToSingle(b << BucketShift);
        }
        return 0f;
    }
}
