using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// The cross-encoder losses on score matrices [G, 1 + N]: column 0 is the positive, the rest are
/// negatives; <c>teacher</c> has the same shape. Each is a mean over queries.
/// </summary>
public static class CrossEncoderLosses
{
    public static Tensor Compute(CrossEncoderLoss loss, Tensor scores, Tensor? teacher) => loss switch
    {
        CrossEncoderLoss.Listwise => Listwise(scores),
        CrossEncoderLoss.Bce => Bce(scores),
        CrossEncoderLoss.Kl => Kl(scores, teacher ?? throw new ArgumentNullException(nameof(teacher), "KL needs teacher scores")),
        CrossEncoderLoss.MarginMse => MarginMse(scores, teacher ?? throw new ArgumentNullException(nameof(teacher), "MarginMSE needs teacher scores")),
        _ => throw new ArgumentOutOfRangeException(nameof(loss)),
    };

    /// <summary>−log softmax(s)[0], averaged over queries.</summary>
    public static Tensor Listwise(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        using var target = zeros(scores.shape[0], dtype: ScalarType.Int64, device: scores.device);
        return nn.functional.cross_entropy(scores, target);
    }

    /// <summary>BCE with logits against 1 for column 0 and 0 elsewhere, averaged over every pair.</summary>
    public static Tensor Bce(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        using var labels = zeros_like(scores);
        labels[TensorIndex.Colon, 0] = 1;
        return nn.functional.binary_cross_entropy_with_logits(scores, labels);
    }

    /// <summary>Σ_d softmax(t)_d (log softmax(t)_d − log softmax(s)_d), averaged over queries.</summary>
    public static Tensor Kl(Tensor scores, Tensor teacher)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(teacher);
        using var student = nn.functional.log_softmax(scores, 1);
        using var target = nn.functional.log_softmax(teacher, 1);
        return nn.functional.kl_div(student, target, reduction: nn.Reduction.Sum, log_target: true) / scores.shape[0];
    }

    /// <summary>Mean over queries and negatives of ((s₊ − s₋) − (t₊ − t₋))².</summary>
    public static Tensor MarginMse(Tensor scores, Tensor teacher)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(teacher);
        using var student = scores.narrow(1, 0, 1) - scores.narrow(1, 1, scores.shape[1] - 1);
        using var target = teacher.narrow(1, 0, 1) - teacher.narrow(1, 1, teacher.shape[1] - 1);
        return nn.functional.mse_loss(student, target);
    }
}
