using System.Runtime.InteropServices;

namespace Disco.Index.Bench;

/// <summary>
/// CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): on a machine shared
/// with other work, time spent descheduled does not count, so small differences stay measurable.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>Milliseconds of CPU time this thread has used.</summary>
    public static double NowMs()
    {
        if (ClockGetTime(ClockThreadCpuTime, out var t) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return (t.Seconds * 1e3) + (t.Nanoseconds / 1e6);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
