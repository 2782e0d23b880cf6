namespace Disco.Datasets;

/// <summary>Counts of what a conversion wrote, and how many judged queries have no turn (a sign of mismatched ids).</summary>
public sealed record DatasetWriteSummary(int Turns, long QrelsLines, int JudgedQueries, int JudgedQueriesWithoutTurn, long Passages);
