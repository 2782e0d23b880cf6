namespace Disco.Training;

/// <summary>How the learning rate evolves after warmup.</summary>
public enum LearningRateShape
{
    /// <summary>Linear decay to 0 at the last step (HuggingFace <c>linear</c>, DiSCo's choice).</summary>
    Linear,

    /// <summary>Constant after warmup (HuggingFace <c>constant_with_warmup</c>).</summary>
    Constant,
}
