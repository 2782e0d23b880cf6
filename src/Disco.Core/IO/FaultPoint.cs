namespace Disco.Core.IO;

/// <summary>
/// Named points inside multi-step writes where crash tests stop a process deterministically:
/// with <c>DISCO_PAUSE_AT</c> set to a point's name, reaching it creates the file named by
/// <c>DISCO_PAUSE_SIGNAL</c> and blocks forever, so the test can kill the process exactly there
/// (instead of hoping a timed kill lands inside the save). Unset, a point costs one lookup.
/// </summary>
public static class FaultPoint
{
    public const string PauseVariable = "DISCO_PAUSE_AT";

    public const string SignalVariable = "DISCO_PAUSE_SIGNAL";

    private static readonly string? PauseAt = Environment.GetEnvironmentVariable(PauseVariable);

    /// <summary>Blocks forever when <paramref name="name"/> is the point named by <c>DISCO_PAUSE_AT</c>.</summary>
    public static void Reach(string name)
    {
        if (PauseAt is null || !string.Equals(PauseAt, name, StringComparison.Ordinal))
            return;
        if (Environment.GetEnvironmentVariable(SignalVariable) is { Length: > 0 } signal)
            File.WriteAllText(signal, name);
        Thread.Sleep(Timeout.Infinite);
    }
}
