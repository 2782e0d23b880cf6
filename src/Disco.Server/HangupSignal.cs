using System.Runtime.InteropServices;

namespace Disco.Server;

/// <summary>
/// SIGHUP inherited as ignored: <c>nohup disco serve ...</c>, some supervisors and CI shells start a
/// process with SIGHUP set to SIG_IGN, and .NET respects an ignored signal by installing no handler,
/// so a <see cref="PosixSignalRegistration"/> for it silently never fires: <c>kill -HUP</c> would
/// neither reload nor say why. A server asked to reload on SIGHUP takes the signal over (as nginx
/// does); nohup's purpose, surviving the terminal's hangup, still holds, since the handler reloads
/// instead of ending the process. The ignored disposition is put back when the server stops.
/// </summary>
internal static partial class HangupSignal
{
    private const int SigHup = 1;
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;

    /// <summary>
    /// When SIGHUP is ignored, resets it to the default disposition so that a registration made
    /// right after installs its handler (a SIGHUP arriving in between ends the process, as it would
    /// without nohup). Returns whether it was ignored; then call <see cref="IgnoreAgain"/> once the
    /// registration is disposed.
    /// </summary>
    public static bool TakeOverIfIgnored()
    {
        if (!IsIgnored())
            return false;
        SetIgnored(false);
        return true;
    }

    /// <summary>Puts back the ignored disposition found by <see cref="TakeOverIfIgnored"/>.</summary>
    public static void IgnoreAgain() => SetIgnored(true);

    /// <summary>Whether SIGHUP's disposition is SIG_IGN (Linux; false elsewhere).</summary>
    public static bool IsIgnored()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        // struct sigaction is 152 bytes on glibc (x86-64 and arm64); its first member is the handler.
        var action = Marshal.AllocHGlobal(512);
        try
        {
            return SigAction(SigHup, 0, action) == 0 && Marshal.ReadIntPtr(action) == SigIgn;
        }
        finally
        {
            Marshal.FreeHGlobal(action);
        }
    }

    /// <summary>Sets SIGHUP to SIG_IGN or SIG_DFL (Linux only).</summary>
    public static void SetIgnored(bool ignored)
    {
        if (OperatingSystem.IsLinux())
            Signal(SigHup, ignored ? SigIgn : SigDfl);
    }

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int SigAction(int signal, nint action, nint previous);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
