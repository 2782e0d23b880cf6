namespace Disco.Training;

/// <summary>Validation measures of one evaluation, averaged over dev queries with judgments.</summary>
public sealed record ValidationResult(double MrrAt10, double RecallAt100, int Queries);
