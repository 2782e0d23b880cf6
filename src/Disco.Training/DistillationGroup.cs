namespace Disco.Training;

/// <summary>
/// One training item: a query, its candidates (the positive first, then the sampled negatives)
/// and the teacher's score for each candidate.
/// </summary>
public sealed record DistillationGroup(string QueryId, string QueryText, IReadOnlyList<string> DocumentIds, IReadOnlyList<float> TeacherScores);
