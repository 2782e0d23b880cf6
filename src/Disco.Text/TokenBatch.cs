namespace Disco.Text;

/// <summary>
/// Token ids of several texts padded to the longest one, in the shape a BERT forward pass takes:
/// row-major <see cref="BatchSize"/> × <see cref="SequenceLength"/>, padded with the [PAD] id,
/// and an attention mask that is 1 on real tokens and 0 on padding.
/// </summary>
public sealed class TokenBatch
{
    public TokenBatch(long[] inputIds, long[] attentionMask, int batchSize, int sequenceLength, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceLength);
        if (inputIds.Length != (long)batchSize * sequenceLength || attentionMask.Length != inputIds.Length)
            throw new ArgumentException($"ids ({inputIds.Length}) and mask ({attentionMask.Length}) must both hold {batchSize}×{sequenceLength} values");
        if (lengths.Length != batchSize)
            throw new ArgumentException($"lengths has {lengths.Length} entries for a batch of {batchSize}", nameof(lengths));
        InputIds = inputIds;
        AttentionMask = attentionMask;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        Lengths = lengths;
    }

    /// <summary>Token ids, row-major BatchSize × SequenceLength.</summary>
    public long[] InputIds { get; }

    /// <summary>1 for a real token, 0 for padding; same shape as <see cref="InputIds"/>.</summary>
    public long[] AttentionMask { get; }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    /// <summary>The unpadded length of each row ([CLS] and [SEP] included).</summary>
    public int[] Lengths { get; }

    /// <summary>The unpadded ids of one row.</summary>
    public ReadOnlySpan<long> Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchSize);
        return InputIds.AsSpan(index * SequenceLength, Lengths[index]);
    }
}
