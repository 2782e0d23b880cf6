using TorchSharp;

namespace Disco.Training;

/// <summary>
/// The parts of one DiSCo loss evaluation. <see cref="Total"/> keeps its graph for backward; the
/// others are detached scalars for logging.
/// </summary>
public sealed record DiscoLossTerms(
    torch.Tensor Total,
    double Kl,
    double Ce,
    double AntiZero,
    double Flops,
    double L1,
    double L0Query,
    double L0Document);
