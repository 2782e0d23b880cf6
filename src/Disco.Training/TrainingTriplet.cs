namespace Disco.Training;

/// <summary>One SPLADE training item: query, positive, negative, and optional teacher scores.</summary>
public sealed record TrainingTriplet(string Query, string Positive, string Negative, float? TeacherPositive = null, float? TeacherNegative = null);
