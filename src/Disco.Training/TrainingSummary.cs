namespace Disco.Training;

/// <summary>What a training run did.</summary>
/// <param name="StepsRun">Optimizer steps made by this run (fewer than <paramref name="FinalStep"/> after a resume).</param>
/// <param name="FinalStep">The last step, i.e. the run's total steps.</param>
/// <param name="LastLoss">The loss of the last step.</param>
/// <param name="FinalModelDir">Where the final models are (<c>OutputDir/model</c>).</param>
/// <param name="BestValidation">The best validation of the run, when validating.</param>
/// <param name="BestStep">The step of <paramref name="BestValidation"/>.</param>
/// <param name="Counters">The recipe's running totals at the end (e.g. <c>documents_encoded</c>).</param>
/// <param name="Seconds">Wall-clock time of the run.</param>
public sealed record TrainingSummary(
    long StepsRun,
    long FinalStep,
    double LastLoss,
    string FinalModelDir,
    ValidationResult? BestValidation,
    long? BestStep,
    IReadOnlyDictionary<string, double> Counters,
    double Seconds);
