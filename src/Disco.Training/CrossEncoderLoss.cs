namespace Disco.Training;

/// <summary>The losses of <see cref="CrossEncoderRecipe"/> over one positive and N negatives per query.</summary>
public enum CrossEncoderLoss
{
    /// <summary>Softmax cross-entropy over [positive, negatives] (with one negative: the pairwise softmax loss).</summary>
    Listwise,

    /// <summary>Pointwise binary cross-entropy on each pair's logit (1 for the positive, 0 for negatives).</summary>
    Bce,

    /// <summary>Distillation: KL(softmax(teacher) ‖ softmax(student)) over each query's documents.</summary>
    Kl,

    /// <summary>Distillation: MSE between student and teacher margins s(q, d+) − s(q, d−), averaged over negatives.</summary>
    MarginMse,
}
