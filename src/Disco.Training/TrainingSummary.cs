namespace Disco.Training;

/// <summary>What a training run did.</summary>
public sealed record TrainingSummary(
    long StepsRun,
    long FinalStep,
    double LastLoss,
    string FinalModelDir,
    ValidationResult? BestValidation,
    long DocumentsEncoded,
    double Seconds);
