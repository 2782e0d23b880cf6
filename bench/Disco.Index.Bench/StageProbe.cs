using System.Diagnostics;

namespace Disco.Index.Bench;

/// <summary>
/// Where an approximate query's time goes: wall ticks per stage (summed over the ranges of the
/// gather) and the postings read in pass 1 and pass 2, with how many of the latter were added.
/// </summary>
internal struct StageProbe : IAnnProbe
{
    private AnnStage _stage;
    private long _since;

    public StageProbe()
    {
        Ticks = new long[Enum.GetValues<AnnStage>().Length];
    }

    public long[] Ticks { get; }

    public long Touching { get; private set; }

    public long Adding { get; private set; }

    public long Added { get; private set; }

    public void Begin(AnnStage stage)
    {
        var now = Stopwatch.GetTimestamp();
        if (_since != 0)
            Ticks[(int)_stage] += now - _since;
        // Done ends the query: the next Begin (Setup of the next query) starts afresh.
        _since = stage == AnnStage.Done ? 0 : now;
        _stage = stage;
    }

    public void Segment(int touching, int adding, int added)
    {
        Touching += touching;
        Adding += adding;
        Added += added;
    }
}
