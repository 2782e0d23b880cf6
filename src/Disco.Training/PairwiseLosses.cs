using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Disco.Training;

/// <summary>The classic SPLADE training losses over (query, positive, negative) triplets (spec §3).</summary>
public static class PairwiseLosses
{
    /// <summary>
    /// InBatchPairwiseNLL: every query scores every positive of the batch plus its own negative,
    /// cross-entropy towards its own positive (the diagonal).
    /// </summary>
    public static Tensor InBatchPairwiseNll(Tensor queries, Tensor positives, Tensor negatives)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(negatives);
        var batch = queries.shape[0];
        var logits = cat([queries.matmul(positives.t()), (queries * negatives).sum(1, keepdim: true)], 1);
        return cross_entropy(logits, arange(batch, dtype: ScalarType.Int64, device: queries.device));
    }

    /// <summary>DistilMarginMSE: MSE(s⁺ − s⁻, t⁺ − t⁻).</summary>
    public static Tensor DistilMarginMse(Tensor positiveScores, Tensor negativeScores, Tensor teacherPositive, Tensor teacherNegative)
    {
        ArgumentNullException.ThrowIfNull(positiveScores);
        ArgumentNullException.ThrowIfNull(negativeScores);
        ArgumentNullException.ThrowIfNull(teacherPositive);
        ArgumentNullException.ThrowIfNull(teacherNegative);
        return mse_loss(positiveScores - negativeScores, teacherPositive - teacherNegative);
    }

    /// <summary>DistilKL: KL(softmax([t⁺, t⁻]) ‖ softmax([s⁺, s⁻])), summed over the pair, mean over the batch.</summary>
    public static Tensor DistilKl(Tensor positiveScores, Tensor negativeScores, Tensor teacherPositive, Tensor teacherNegative)
    {
        ArgumentNullException.ThrowIfNull(positiveScores);
        ArgumentNullException.ThrowIfNull(negativeScores);
        ArgumentNullException.ThrowIfNull(teacherPositive);
        ArgumentNullException.ThrowIfNull(teacherNegative);
        var student = log_softmax(stack([positiveScores, negativeScores], 1), 1);
        var teacher = log_softmax(stack([teacherPositive, teacherNegative], 1), 1);
        return (teacher.exp() * (teacher - student)).sum(1).mean();
    }
}
