using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Encoded pairs (<see cref="Text.WordPieceTokenizer.EncodePair"/>) padded into the three inputs of
/// <see cref="SequenceClassificationModel"/>: ids, attention mask and token types [B, T]
/// (DistilBERT ignores the token types).
/// </summary>
public sealed class PairBatch : IDisposable
{
    private PairBatch(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds;
    }

    public Tensor InputIds { get; }

    public Tensor AttentionMask { get; }

    public Tensor TokenTypeIds { get; }

    /// <summary>Pads <paramref name="pairs"/> (ids and the length of segment 0) to the longest with <paramref name="padId"/>.</summary>
    public static PairBatch Create(IReadOnlyList<EncodedPair> pairs, int padId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
            throw new ArgumentException("no pairs", nameof(pairs));
        var length = pairs.Max(p => p.Ids.Length);
        var ids = new long[pairs.Count * length];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        if (padId != 0)
            ids.AsSpan().Fill(padId);
        for (var b = 0; b < pairs.Count; b++)
        {
            var row = pairs[b].Ids;
            var offset = b * length;
            for (var t = 0; t < row.Length; t++)
            {
                ids[offset + t] = row[t];
                mask[offset + t] = 1;
                types[offset + t] = t < pairs[b].FirstSegmentLength ? 0 : 1;
            }
        }
        long[] shape = [pairs.Count, length];
        return new PairBatch(tensor(ids, shape, device: device), tensor(mask, shape, device: device), tensor(types, shape, device: device));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        TokenTypeIds.Dispose();
    }
}
