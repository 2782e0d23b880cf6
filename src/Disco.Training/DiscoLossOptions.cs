namespace Disco.Training;

/// <summary>
/// Weights of DiSCo's loss (spec §2.4). Defaults are the reference's
/// <c>kldiv_contrastive_with_weights</c>: 0.99·KL + 0.01·CE, regularisers off.
/// </summary>
public sealed record DiscoLossOptions(
    double KlWeight = 0.99,
    double CeWeight = 0.01,
    double LambdaDocument = 0,
    int WarmupDocument = 0,
    double LambdaQuery = 0,
    int WarmupQuery = 0,
    bool RescaleTeacher = false);
